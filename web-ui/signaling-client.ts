import type {
  ErrorInfo,
  Notification,
  PageKind,
  RequestData,
  RequestType,
  Response,
} from '../appliance/signaling/protocol.js';
import { listenerKey } from './listener-key.js';

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000, 8000];

/** A failed request, with the server's error code. */
export class SignalingError extends Error {
  readonly code: string;

  constructor(error: ErrorInfo) {
    super(error.message);
    this.code = error.code;
  }
}

type Pending = { resolve: (data: unknown) => void; reject: (error: Error) => void };

/**
 * The page's one WebSocket to Podium: request/response by id, and
 * reconnection with backoff, joining again each time. It dispatches "open"
 * (detail: the join response), "notification" (detail: the message),
 * "failure" and "close" events.
 */
export class SignalingClient extends EventTarget {
  readonly #page: PageKind;
  readonly #pending = new Map<number, Pending>();
  #socket: WebSocket | undefined;
  #nextId = 1;
  #attempt = 0;
  #closed = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(page: PageKind) {
    super();
    this.#page = page;
  }

  get connected(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  connect(): void {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/signaling`);

    this.#socket = socket;
    // Each listener ignores a socket that reconnect() has replaced.
    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      this.#attempt = 0;
      const join = this.#page === 'watch' ? { page: this.#page, listenerKey: listenerKey() } : { page: this.#page };

      void this.request('join', join).then(
        (data) => this.dispatchEvent(new CustomEvent('open', { detail: data })),
        (error: Error) => this.dispatchEvent(new CustomEvent('failure', { detail: error })),
      );
    });
    socket.addEventListener('message', (event) => {
      if (this.#socket === socket) this.#onMessage(String(event.data));
    });
    socket.addEventListener('close', () => {
      if (this.#socket === socket) this.#onClose();
    });
  }

  /**
   * Closes the connection and opens a new one at once, without a "close"
   * event. Pages call it after the server set a new session cookie, which
   * only a new WebSocket handshake sends. Pending requests fail.
   */
  reconnect(): void {
    const previous = this.#socket;

    clearTimeout(this.#retryTimer);
    this.#closed = false;
    this.#attempt = 0;
    this.#rejectPending('connection to Podium reopened');
    this.connect();
    previous?.close();
  }

  request<T extends RequestType>(type: T, data: RequestData[T]): Promise<unknown> {
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

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#socket?.close();
  }

  #onMessage(text: string): void {
    const message = JSON.parse(text) as Response | Notification;

    if ('id' in message) {
      const pending = this.#pending.get(message.id);

      this.#pending.delete(message.id);
      if (message.ok) pending?.resolve(message.data);
      else pending?.reject(new SignalingError(message.error));

      return;
    }
    this.dispatchEvent(new CustomEvent('notification', { detail: message }));
  }

  #rejectPending(message: string): void {
    for (const pending of this.#pending.values()) pending.reject(new SignalingError({ code: 'DISCONNECTED', message }));
    this.#pending.clear();
  }

  #onClose(): void {
    this.#rejectPending('connection to Podium closed');
    this.dispatchEvent(new CustomEvent('close'));
    if (this.#closed) return;

    const delay = RECONNECT_DELAYS_MS[Math.min(this.#attempt, RECONNECT_DELAYS_MS.length - 1)];

    this.#attempt++;
    this.#retryTimer = setTimeout(() => this.connect(), delay);
  }
}
