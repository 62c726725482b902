/** A playlist client counts as watching for this long after its last request. */
const ACTIVE_WINDOW_MS = 15_000;

/**
 * Counts HLS listeners: distinct clients (address and User-Agent) that
 * fetched a playlist within the last 15 s. HLS players reload the live
 * playlist about once per segment, so an open player stays counted.
 *
 * NOTE: listeners behind one NAT address with the same browser build count
 * once, so the count is a lower bound.
 */
export class HlsViewerCounter {
  readonly #lastSeen = new Map<string, number>();

  /** Records one playlist request. */
  seen(address: string, userAgent: string | undefined, nowMs = Date.now()): void {
    this.#lastSeen.set(`${address} ${userAgent ?? ''}`, nowMs);
  }

  /** Returns the clients active within the window, forgetting older ones. */
  count(nowMs = Date.now()): number {
    for (const [client, seenAt] of this.#lastSeen) {
      if (nowMs - seenAt > ACTIVE_WINDOW_MS) this.#lastSeen.delete(client);
    }

    return this.#lastSeen.size;
  }
}
