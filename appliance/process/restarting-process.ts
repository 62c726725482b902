import { EventEmitter } from 'node:events';
import type { Logger } from '../log.js';
import type { ProcessExit, ProcessSpec, SupervisedProcess, Supervisor } from './supervisor.js';

/** Delays between restarts: doubling from the first, capped at the maximum. */
export type RestartPolicy = {
  firstDelayMs: number;
  maxDelayMs: number;
  /** A process that ran this long before it died counts as healthy: the next delay is the first again. */
  healthyAfterMs: number;
};

/** About 1, 2, 4 s, then 8 and at most 10 s between attempts. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { firstDelayMs: 1000, maxDelayMs: 10_000, healthyAfterMs: 30_000 };

export type RestartingProcessEvents = {
  /** A new process started. */
  up: [SupervisedProcess];
  /** The process ended without being stopped; a restart follows after delayMs. */
  down: [ProcessExit, { delayMs: number; attempt: number }];
};

export type RestartingProcessOptions = {
  supervisor: Supervisor;
  /** Builds the command for each start, so that it can change between attempts. */
  spec: () => ProcessSpec;
  logger: Logger;
  policy?: RestartPolicy;
  /** Runs before each restart, for example to stop a stand-in process that uses the same ports. */
  beforeRestart?: () => Promise<void>;
};

/**
 * A supervised process that is started again with backoff whenever it ends
 * without being asked to, until stop(). A restart starts only after the
 * previous process has exited, so two processes never hold one device.
 */
export class RestartingProcess extends EventEmitter<RestartingProcessEvents> {
  readonly #options: RestartingProcessOptions;
  readonly #policy: RestartPolicy;
  readonly #logger: Logger;
  #current: SupervisedProcess | undefined;
  #startedAt = 0;
  #nextDelayMs: number;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #restartReason: string | undefined;

  constructor(options: RestartingProcessOptions) {
    super();
    this.#options = options;
    this.#policy = options.policy ?? DEFAULT_RESTART_POLICY;
    this.#nextDelayMs = this.#policy.firstDelayMs;
    this.#logger = options.logger;
  }

  /** The process running now, if any. */
  get current(): SupervisedProcess | undefined {
    return this.#current?.running ? this.#current : undefined;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  start(): SupervisedProcess {
    const process = this.#options.supervisor.start(this.#options.spec());

    this.#current = process;
    this.#startedAt = Date.now();
    process.once('exit', (exit) => this.#onExit(process, exit));
    this.emit('up', process);

    return process;
  }

  /** Ends the running process and starts it again with the usual backoff, for example when it stalls. */
  restartNow(reason: string): void {
    const process = this.current;

    if (!process || this.#stopped) return;
    this.#restartReason = reason;
    this.#logger.warn({ reason, childPid: process.pid }, 'restarting a stalled process');
    process.kill();
  }

  /** Stops restarting and stops the running process gracefully. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#current?.stop();
  }

  #onExit(process: SupervisedProcess, exit: ProcessExit): void {
    const restartRequested = this.#restartReason !== undefined;

    this.#restartReason = undefined;
    if (this.#current !== process || this.#stopped || (exit.requested && !restartRequested)) return;
    if (Date.now() - this.#startedAt >= this.#policy.healthyAfterMs) {
      this.#nextDelayMs = this.#policy.firstDelayMs;
      this.#attempt = 0;
    }

    const delayMs = this.#nextDelayMs;

    this.#attempt++;
    this.#nextDelayMs = Math.min(this.#nextDelayMs * 2, this.#policy.maxDelayMs);
    this.#logger.warn({ code: exit.code, signal: exit.signal, delayMs, attempt: this.#attempt }, 'process will restart');
    this.#options.supervisor.countRestart(process.name);
    this.emit('down', exit, { delayMs, attempt: this.#attempt });
    this.#timer = setTimeout(() => void this.#restart(), delayMs);
  }

  async #restart(): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.#options.beforeRestart?.();
    } catch (error) {
      this.#logger.error({ err: error }, 'preparing the restart failed');
    }
    if (this.#stopped) return;
    this.start();
  }
}
