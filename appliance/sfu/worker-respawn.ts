/**
 * When a dead mediasoup worker is replaced: at once after the first death,
 * then with doubling delays while replacements keep dying young or failing
 * to start, so that a worker that crashes on every start does not respawn in
 * a tight loop. After maxAttempts such attempts in a row the Sfu gives up.
 */
export type RespawnPolicy = {
  /** Delay before the second attempt in a row; each further one doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A worker that ran this long before it died counts as healthy: the count starts again. */
  healthyAfterMs: number;
  /** Attempts in a row (deaths of young workers and failed starts) before the Sfu gives up. */
  maxAttempts: number;
};

/** Replacements after 0, 1, 2, 4, 8 and 10 s; then the Sfu gives up (about 25 s of crashes in a row). */
export const DEFAULT_RESPAWN_POLICY: RespawnPolicy = {
  firstDelayMs: 1000,
  maxDelayMs: 10_000,
  healthyAfterMs: 30_000,
  maxAttempts: 6,
};

/** Returns the delay before attempt number attempt (1 for the first) in a row. */
export function respawnDelayMs(policy: RespawnPolicy, attempt: number): number {
  if (attempt <= 1) return 0;

  return Math.min(policy.firstDelayMs * 2 ** (attempt - 2), policy.maxDelayMs);
}

/**
 * Counts the replacement attempts in a row of one worker slot. A death of a
 * worker that ran at least healthyAfterMs starts the count again.
 */
export class RespawnCounter {
  readonly #policy: RespawnPolicy;
  #attempts = 0;

  constructor(policy: RespawnPolicy) {
    this.#policy = policy;
  }

  /** Counts a death; ranMs is how long the dead worker ran. */
  died(ranMs: number): void {
    if (ranMs >= this.#policy.healthyAfterMs) this.#attempts = 0;
  }

  /**
   * Counts the next attempt and returns its delay, or undefined when the
   * attempts in a row are used up.
   */
  next(): number | undefined {
    this.#attempts++;
    if (this.#attempts > this.#policy.maxAttempts) return undefined;

    return respawnDelayMs(this.#policy, this.#attempts);
  }

  get attempts(): number {
    return this.#attempts;
  }
}
