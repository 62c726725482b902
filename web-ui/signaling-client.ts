import type { PageKind, RequestData } from '../appliance/signaling/protocol.js';
import { listenerKey } from './listener-key.js';
import { RequestSocket } from './request-socket.js';

export { SignalingError } from './request-socket.js';

/**
 * The event page's one WebSocket to Podium (/signaling), joining again on
 * every connection. It dispatches "open" (detail: the join response),
 * "notification" (detail: the message), "failure" and "close" events.
 */
export class SignalingClient extends RequestSocket<RequestData> {
  readonly #page: PageKind;

  constructor(page: PageKind) {
    super('/signaling');
    this.#page = page;
  }

  protected override opened(): void {
    const join = this.#page === 'watch' ? { page: this.#page, listenerKey: listenerKey() } : { page: this.#page };

    void this.request('join', join).then(
      (data) => this.dispatchEvent(new CustomEvent('open', { detail: data })),
      (error: Error) => this.dispatchEvent(new CustomEvent('failure', { detail: error })),
    );
  }
}
