/**
 * Counts events per key in a sliding window, for example failed logins per
 * IP address. Memory stays bounded: keys whose events have all expired are
 * dropped when the limiter is used.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #events = new Map<string, number[]>();

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Returns the milliseconds until the key may act again, or 0 when it may act now. */
  retryAfterMs(key: string, now = Date.now()): number {
    this.#prune(now);

    const times = this.#events.get(key) ?? [];

    if (times.length < this.#limit) return 0;

    return times[0]! + this.#windowMs - now;
  }

  /** Records one event for the key. */
  record(key: string, now = Date.now()): void {
    const times = this.#events.get(key) ?? [];

    times.push(now);
    this.#events.set(key, times);
  }

  reset(key: string): void {
    this.#events.delete(key);
  }

  #prune(now: number): void {
    for (const [key, times] of this.#events) {
      while (times.length > 0 && times[0]! <= now - this.#windowMs) times.shift();
      if (times.length === 0) this.#events.delete(key);
    }
  }
}
