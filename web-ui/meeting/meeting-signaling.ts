import type {
  MeetingNotification,
  MeetingRequestData,
  MeetingRequestType,
} from '../../appliance/meetings/meeting-protocol.js';
import type { ErrorInfo } from '../../appliance/signaling/protocol.js';
import { SignalingError } from '../signaling-client.js';

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000, 8000];

/** The server's close code for a connection that a newer one of the same participant (another tab) replaced. */
export const CLOSE_REPLACED = 4000;
/** The server's close code for a participant who is out of the meeting: removed, denied, or it ended. */
export const CLOSE_OUT = 4001;

type Pending = { resolve: (data: unknown) => void; reject: (error: Error) => void };
type Response = { id: number; ok: true; data: unknown } | { id: number; ok: false; error: ErrorInfo };

/**
 * The meeting page's WebSocket to /meetings/signaling: request/response by
 * id, and reconnection with backoff after the server or the network closed
 * it (the server closes with 1012 after its media worker failed), except
 * after CLOSE_REPLACED and CLOSE_OUT. The page joins on every "open" event. It dispatches "open", "notification"
 * (detail: the message) and "close" (detail: the close code).
 */
export class MeetingSignaling extends EventTarget {
  readonly #pending = new Map<number, Pending>();
  #socket: WebSocket | undefined;
  #nextId = 1;
  #attempt = 0;
  #closed = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  get connected(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  connect(): void {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/meetings/signaling`);

    this.#closed = false;
    this.#socket = socket;
    // Each listener ignores a socket that a later connect() replaced.
    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      this.#attempt = 0;
      this.dispatchEvent(new CustomEvent('open'));
    });
    socket.addEventListener('message', (event) => {
      if (this.#socket === socket) this.#onMessage(String(event.data));
    });
    socket.addEventListener('close', (event) => {
      if (this.#socket === socket) this.#onClose(event.code);
    });
  }

  request<T extends MeetingRequestType>(type: T, data: MeetingRequestData[T]): Promise<unknown> {
    const socket = this.#socket;

    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new SignalingError({ code: 'DISCONNECTED', message: 'not connected to Podium' }));
    }

    const id = this.#nextId++;

    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, type, data }));
    });
  }

  /** Closes the connection for good: no reconnection follows. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#socket?.close();
  }

  #onMessage(text: string): void {
    const message = JSON.parse(text) as Response | MeetingNotification;

    if ('id' in message) {
      const pending = this.#pending.get(message.id);

      this.#pending.delete(message.id);
      if (message.ok) pending?.resolve(message.data);
      else pending?.reject(new SignalingError(message.error));

      return;
    }
    this.dispatchEvent(new CustomEvent('notification', { detail: message }));
  }

  #onClose(code: number): void {
    for (const pending of this.#pending.values()) {
      pending.reject(new SignalingError({ code: 'DISCONNECTED', message: 'connection to Podium closed' }));
    }
    this.#pending.clear();
    if (code === CLOSE_REPLACED || code === CLOSE_OUT) this.#closed = true;
    this.dispatchEvent(new CustomEvent('close', { detail: code }));
    if (this.#closed) return;

    const delay = RECONNECT_DELAYS_MS[Math.min(this.#attempt, RECONNECT_DELAYS_MS.length - 1)];

    this.#attempt++;
    this.#retryTimer = setTimeout(() => this.connect(), delay);
  }
}
