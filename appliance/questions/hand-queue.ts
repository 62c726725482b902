import { EventEmitter } from 'node:events';
import type { RaisedHand } from '../signaling/protocol.js';

/**
 * The listeners with a raised hand, by signaling connection, longest waiting
 * first. Hands live only in memory: a closed page lowers its hand.
 */
export class HandQueue extends EventEmitter<{ change: []; lowered: [peerId: string] }> {
  readonly #hands = new Map<string, RaisedHand>();

  /** Raises a listener's hand; a hand that is up keeps its place. */
  raise(peerId: string, name: string | null): void {
    if (this.#hands.has(peerId)) return;
    this.#hands.set(peerId, { peerId, name, raisedAt: new Date().toISOString() });
    this.emit('change');
  }

  /** Lowers a hand; returns false when it was not raised. */
  lower(peerId: string): boolean {
    if (!this.#hands.delete(peerId)) return false;
    this.emit('lowered', peerId);
    this.emit('change');

    return true;
  }

  /** Lowers every hand, for example when the event is no longer live. */
  clear(): void {
    for (const peerId of [...this.#hands.keys()]) this.lower(peerId);
  }

  isRaised(peerId: string): boolean {
    return this.#hands.has(peerId);
  }

  list(): RaisedHand[] {
    return [...this.#hands.values()];
  }
}
