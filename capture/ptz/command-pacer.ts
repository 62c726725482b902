/**
 * Limits how often one kind of movement command (pan/tilt drive, or zoom)
 * goes to the camera, and coalesces the ones in between.
 *
 * - request() sends at once when minIntervalMs has passed since the last
 *   packet. Otherwise it keeps the packet as pending, replacing an earlier
 *   pending one, and sends the latest when the interval ends.
 * - sendNow() is for stops: it drops the pending packet and sends at once,
 *   whatever the interval. The stop counts as the last packet for the interval.
 * - A request for the packet that was sent last, with none pending, sends
 *   nothing, because the camera already runs that command. A page that sends
 *   the held move again therefore costs no traffic.
 *
 * Time comes from Date.now(), which vitest's fake timers control.
 */
export class CommandPacer<Packet> {
  readonly #minIntervalMs: number;
  readonly #send: (packet: Packet) => Promise<void>;
  readonly #equal: (a: Packet, b: Packet) => boolean;
  #lastSent: Packet | undefined;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #pending: Packet | undefined;
  #timer: NodeJS.Timeout | undefined;

  /**
   * send() transmits a packet. A rejection of a send that the interval's timer
   * started is dropped here, so send() must report failures itself.
   */
  constructor(
    minIntervalMs: number,
    send: (packet: Packet) => Promise<void>,
    equal: (a: Packet, b: Packet) => boolean,
  ) {
    this.#minIntervalMs = minIntervalMs;
    this.#send = send;
    this.#equal = equal;
  }

  /** Whether a coalesced packet waits for the interval to end. */
  get hasPending(): boolean {
    return this.#pending !== undefined;
  }

  /** Sends the packet now, or keeps it as the pending one until the interval ends. */
  request(packet: Packet): void {
    if (this.#pending === undefined && this.#lastSent !== undefined && this.#equal(packet, this.#lastSent)) return;

    const wait = this.#lastSentAt + this.#minIntervalMs - Date.now();

    if (wait <= 0 && this.#pending === undefined) {
      this.#transmit(packet).catch(() => undefined);

      return;
    }
    if (this.#lastSent !== undefined && this.#equal(packet, this.#lastSent)) {
      // The latest request is what the camera already does, so the pending one is dropped.
      this.cancel();

      return;
    }
    this.#pending = packet;
    this.#timer ??= setTimeout(() => this.#flush(), Math.max(0, wait));
  }

  /** Drops any pending packet and sends this one at once. Returns the send's promise. */
  sendNow(packet: Packet): Promise<void> {
    this.cancel();

    return this.#transmit(packet);
  }

  /** Drops the pending packet, if any, without sending anything. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = undefined;
  }

  /** Forgets the last packet, so that the next request is sent even when it is the same. */
  forgetLastSent(): void {
    this.#lastSent = undefined;
  }

  #flush(): void {
    const packet = this.#pending;

    this.#timer = undefined;
    this.#pending = undefined;
    if (packet !== undefined) this.#transmit(packet).catch(() => undefined);
  }

  #transmit(packet: Packet): Promise<void> {
    this.#lastSent = packet;
    this.#lastSentAt = Date.now();

    return this.#send(packet);
  }
}
