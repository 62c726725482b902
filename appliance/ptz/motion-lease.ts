/**
 * How long a move or zoom started over HTTP runs without a renewal. The
 * console renews a held button every 500 ms, so this leaves room for two
 * lost or late renewals (and for a background tab's one-second timers).
 */
export const MOTION_LEASE_MS = 1500;

/**
 * A dead-man timer for one kind of motion (drive or zoom) started from the
 * console. Each renewal restarts the window; when it runs out, onExpire stops
 * the camera. A local input (the USB joystick) or a stop clears it, so the
 * timer never cuts a motion the console did not start.
 */
export class MotionLease {
  readonly #windowMs: number;
  readonly #onExpire: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(onExpire: () => void, windowMs = MOTION_LEASE_MS) {
    this.#onExpire = onExpire;
    this.#windowMs = windowMs;
  }

  /** Starts or renews the window. */
  renew(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onExpire();
    }, this.#windowMs);
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
