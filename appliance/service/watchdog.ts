import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Logger } from '../log.js';

/**
 * Returns why Podium is unhealthy, or undefined when it is healthy. It must
 * settle within the time it is given.
 */
export type HealthProbe = (timeoutMs: number) => Promise<string | undefined>;

export type WatchdogOptions = {
  /** Milliseconds between two WATCHDOG=1 messages: a third of systemd's WatchdogSec. */
  intervalMs: number;
  /** Largest event-loop delay since the previous tick that still counts as responsive. */
  maxLoopDelayMs: number;
  probe: HealthProbe;
  /** Sends "WATCHDOG=1". */
  feed: () => void;
  logger: Logger;
};

/**
 * Feeds systemd's watchdog only while Podium is healthy: the event loop was
 * never blocked for longer than maxLoopDelayMs since the last tick, and the
 * probe (the SFU worker responds to a request) passes. When it stops feeding,
 * systemd kills Podium after WatchdogSec and restarts it.
 */
export class Watchdog {
  readonly #options: WatchdogOptions;
  readonly #histogram: IntervalHistogram;
  #timer: NodeJS.Timeout | undefined;
  #problem: string | undefined;
  #ticking = false;
  #lastTickAt = 0;

  constructor(options: WatchdogOptions) {
    this.#options = options;
    this.#histogram = monitorEventLoopDelay({ resolution: 20 });
  }

  start(): void {
    this.#histogram.enable();
    this.#lastTickAt = Date.now();
    this.#timer = setInterval(() => void this.#tick(), this.#options.intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#histogram.disable();
  }

  async #tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      const problem = await this.#findProblem();

      this.#report(problem);
      if (!problem) this.#options.feed();
    } finally {
      this.#ticking = false;
    }
  }

  /**
   * The histogram records a delay only when its own timer fires, which may
   * come after this tick, so the tick's own lateness counts too.
   */
  async #findProblem(): Promise<string | undefined> {
    const now = Date.now();
    const lateMs = now - this.#lastTickAt - this.#options.intervalMs;
    const maxDelayMs = Math.max(this.#histogram.max / 1e6, lateMs);

    this.#lastTickAt = now;
    this.#histogram.reset();
    if (maxDelayMs > this.#options.maxLoopDelayMs) {
      return `the event loop was blocked for ${Math.round(maxDelayMs)} ms`;
    }
    try {
      return await this.#options.probe(this.#options.intervalMs / 2);
    } catch (error) {
      return `the health probe failed: ${(error as Error).message}`;
    }
  }

  /** Logs each change between healthy and unhealthy once, not every tick. */
  #report(problem: string | undefined): void {
    if (problem === this.#problem) return;
    if (problem) this.#options.logger.error({ problem }, 'watchdog not fed');
    else this.#options.logger.info('watchdog fed again');
    this.#problem = problem;
  }
}

/**
 * Returns the interval for WATCHDOG=1 from systemd's environment (a third
 * of WATCHDOG_USEC, so that one tick skipped after a passing pause still
 * leaves a feed inside the limit), or undefined when the watchdog is off or
 * meant for another process (WATCHDOG_PID).
 */
export function watchdogIntervalMs(env: NodeJS.ProcessEnv, pid = process.pid): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);

  if (!Number.isFinite(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return undefined;

  return Math.max(1, Math.floor(usec / 3000));
}
