import type { ErrorInfo } from '../appliance/signaling/protocol.js';

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
type Response = { id: number; ok: true; data: unknown } | { id: number; ok: false; error: ErrorInfo };

/**
 * A page's WebSocket to one of Podium's signaling paths: requests matched
 * to responses by id, notifications as "notification" events (detail: the
 * message), and reconnection with backoff after every close but the
 * page's own and those the subclass calls final. Subclasses act on a new
 * connection in opened(). It dispatches "close" (detail: the close code).
 */
export class RequestSocket<RequestData extends object> extends EventTarget {
  readonly #path: string;
  readonly #pending = new Map<number, Pending>();
  #socket: WebSocket | undefined;
  #nextId = 1;
  #attempt = 0;
  #closed = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  /** path: the WebSocket's path on this page's origin, such as /signaling. */
  constructor(path: string) {
    super();
    this.#path = path;
  }

  get connected(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  connect(): void {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}${this.#path}`);

    this.#closed = false;
    this.#socket = socket;
    // Each listener ignores a socket that reconnect() or a later connect() replaced.
    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      this.#attempt = 0;
      this.opened();
    });
    socket.addEventListener('message', (event) => {
      if (this.#socket === socket) this.#onMessage(String(event.data));
    });
    socket.addEventListener('close', (event) => {
      if (this.#socket === socket) this.#onClose(event.code);
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
    this.#attempt = 0;
    this.#rejectPending('connection to Podium reopened');
    this.connect();
    previous?.close();
  }

  request<T extends keyof RequestData & string>(type: T, data: RequestData[T]): Promise<unknown> {
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

  /** Runs when a connection opens, the first and every later one. */
  protected opened(): void {}

  /** Returns true for a close code after which reconnecting is pointless. */
  protected isFinal(_code: number): boolean {
    return false;
  }

  #onMessage(text: string): void {
    const message = JSON.parse(text) as Response | { type: string };

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

  #onClose(code: number): void {
    this.#rejectPending('connection to Podium closed');
    if (this.isFinal(code)) this.#closed = true;
    this.dispatchEvent(new CustomEvent('close', { detail: code }));
    if (this.#closed) return;

    const delay = RECONNECT_DELAYS_MS[Math.min(this.#attempt, RECONNECT_DELAYS_MS.length - 1)];

    this.#attempt++;
    this.#retryTimer = setTimeout(() => this.connect(), delay);
  }
}
