import { EventEmitter } from 'node:events';
import { networkInterfaces } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../log.js';
import type { PodiumConfig } from '../config/schema.js';
import { roomMediaCodecs } from './media-codecs.js';
import { workerCount } from './port-plan.js';
import { MeetingRouter } from './meeting-router.js';
import { Room } from './room.js';
import { SfuWorker } from './sfu-worker.js';
import { DEFAULT_RESPAWN_POLICY, RespawnCounter, type RespawnPolicy } from './worker-respawn.js';

/** A worker slot: its index in the port plan and the pid of the worker in it. */
export type WorkerSlot = { index: number; pid: number };

export type SfuEvents = {
  /**
   * A mediasoup worker died, and the Sfu starts a new one in its place. Rooms
   * whose own router was on it have closed; elsewhere only the viewers it
   * served lost their transports.
   */
  workerdied: [Error, WorkerSlot];
  /** A new worker runs in the place of a dead one, on the same WebRTC port. */
  workerreplaced: [WorkerSlot];
  /** No new worker could start after the retries; every room and worker is closed. */
  failed: [Error];
};

/**
 * Owns the mediasoup workers (sfu.workers, one per CPU core by default), each
 * with its WebRtcServer on the port plan's port (sfu.port plus the worker
 * index), and creates rooms. A room's own router lives on worker 0; its
 * viewers spill over to the other workers (see ViewerRoutes). A worker that
 * dies is replaced by a new one at the same index and port, with backoff
 * (worker-respawn.ts). This module and the other files of appliance/sfu/ are
 * the only code that imports mediasoup.
 */
export class Sfu extends EventEmitter<SfuEvents> {
  /** The worker of each slot; a dead one stays until its replacement runs. */
  readonly #workers: SfuWorker[];
  readonly #config: PodiumConfig['sfu'];
  readonly #announcedIp: string;
  readonly #logger: Logger;
  readonly #rooms = new Map<string, Room>();
  readonly #meetingRouters = new Set<MeetingRouter>();
  readonly #respawns = new Map<number, { counter: RespawnCounter; replacement?: Promise<SfuWorker> }>();
  readonly #policy: RespawnPolicy;
  /** Aborts the waits between replacement attempts when the Sfu closes. */
  readonly #closing = new AbortController();
  #closed = false;

  private constructor(
    workers: SfuWorker[],
    config: PodiumConfig['sfu'],
    announcedIp: string,
    logger: Logger,
    policy: RespawnPolicy,
  ) {
    super();
    this.#workers = workers;
    this.#config = config;
    this.#announcedIp = announcedIp;
    this.#logger = logger;
    this.#policy = policy;
    for (const worker of workers) this.#watch(worker);
  }

  /** Starts the workers; policy sets when dead workers are replaced (tests shorten it). */
  static async create(
    config: PodiumConfig['sfu'],
    parentLogger: Logger,
    policy: RespawnPolicy = DEFAULT_RESPAWN_POLICY,
  ): Promise<Sfu> {
    const logger = parentLogger.child({ module: 'sfu' });
    const announcedIp = config.announcedAddress || firstExternalIpv4() || '127.0.0.1';
    const count = workerCount(config);
    const workers: SfuWorker[] = [];

    try {
      for (let index = 0; index < count; index++) {
        workers.push(await SfuWorker.create(index, config, announcedIp, logger));
      }
    } catch (error) {
      for (const worker of workers) worker.close();
      throw error;
    }
    logger.info({ workers: count, viewersPerWorker: config.viewersPerWorker }, 'media workers ready');

    return new Sfu(workers, config, announcedIp, logger, policy);
  }

  /** The pid of worker 0, which runs every room's own router. */
  get workerPid(): number {
    return this.#workers[0]!.pid;
  }

  /** The pids of every worker, in worker order (a dead worker's until its replacement runs). */
  get workerPids(): number[] {
    return this.#workers.map((worker) => worker.pid);
  }

  /** WebRTC viewers per worker now, in worker order. */
  viewersPerWorker(): number[] {
    return this.#workers.map((worker) => worker.viewers);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** True while a dead worker waits for its replacement. */
  get recovering(): boolean {
    return !this.#closed && this.#workers.some((worker) => !worker.alive);
  }

  /**
   * Resolves when every running worker responds to a request within
   * timeoutMs, and rejects otherwise. A dead worker that is being replaced
   * does not count.
   */
  async ping(timeoutMs: number): Promise<void> {
    if (this.#closed) throw new Error('the media worker is closed');

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the media worker did not respond within ${timeoutMs} ms`)), timeoutMs);
    });
    const running = this.#workers.filter((worker) => worker.alive);

    try {
      await Promise.race([Promise.all(running.map((worker) => worker.worker.getResourceUsage())), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Creates a room on worker 0, waiting for its replacement when worker 0 has just died. */
  async createRoom(id: string): Promise<Room> {
    const origin = await this.#running(0);
    const router = await origin.worker.createRouter({ mediaCodecs: structuredClone(roomMediaCodecs) });
    const room = new Room(id, router, { workers: this.#workers, origin, viewersPerWorker: this.#config.viewersPerWorker }, this.#logger);

    this.#rooms.set(id, room);
    room.once('close', () => this.#rooms.delete(id));

    return room;
  }

  /**
   * Creates a meeting's router on the worker with the fewest meetings,
   * the last one on a tie, so that worker 0 keeps its core for the event.
   */
  async createMeetingRouter(meetingId: string): Promise<MeetingRouter> {
    const counts = this.#workers.map((worker) => [...this.#meetingRouters].filter((router) => router.workerIndex === worker.index).length);
    const fewest = Math.min(...counts);
    const index = counts.lastIndexOf(fewest);
    const router = await MeetingRouter.create(meetingId, await this.#running(index), this.#logger);

    this.#meetingRouters.add(router);
    router.once('close', () => this.#meetingRouters.delete(router));

    return router;
  }

  /**
   * Closes every room, then each worker's WebRtcServer and the worker. The
   * order matters: mediasoup 3.12's worker crashes when a WebRtcServer closes
   * while WebRtcTransports still use it.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();

    for (const room of this.#rooms.values()) room.close();
    for (const router of this.#meetingRouters) router.close();
    for (const worker of this.#workers) worker.close();
    this.#logger.info({ workerPids: this.workerPids }, 'workers closed');
  }

  #watch(worker: SfuWorker): void {
    worker.worker.on('died', (error) => this.#onWorkerDied(worker, error));
  }

  /**
   * Starts the replacement of a dead worker. mediasoup has closed the
   * worker's routers, their transports and its WebRtcServer before this
   * runs. The other workers and their WebRtcServers stay as they are.
   */
  #onWorkerDied(worker: SfuWorker, error: Error): void {
    if (this.#closed) return;

    // mediasoup reports the exit only in the message: "[pid:1234, code:null, signal:SIGKILL]".
    const exit = /code:(\w+), signal:(\w+)\]/.exec(error.message);
    const code = exit && exit[1] !== 'null' ? Number(exit[1]) : null;
    const signal = exit && exit[2] !== 'null' ? exit[2] : null;

    this.#logger.error(
      { workerIndex: worker.index, workerPid: worker.pid, code, signal, err: error },
      'worker died; starting a new one in its place',
    );
    this.emit('workerdied', error, { index: worker.index, pid: worker.pid });
    this.#running(worker.index).catch(() => undefined);
  }

  /** Returns the worker of a slot once it runs: the current one, or the replacement of a dead one. */
  async #running(index: number): Promise<SfuWorker> {
    if (this.#closed) throw new Error('the media workers are closed');

    const current = this.#workers[index]!;

    if (current.alive) return current;

    const respawns = this.#respawnsOf(index);

    // A room that closed with the worker may ask for it before the worker's "died" event.
    if (!respawns.replacement) respawns.counter.died(Date.now() - current.startedAt);
    respawns.replacement ??= this.#replace(index, respawns.counter).finally(() => {
      respawns.replacement = undefined;
    });

    return respawns.replacement;
  }

  #respawnsOf(index: number): { counter: RespawnCounter; replacement?: Promise<SfuWorker> } {
    let respawns = this.#respawns.get(index);

    if (!respawns) {
      respawns = { counter: new RespawnCounter(this.#policy) };
      this.#respawns.set(index, respawns);
    }

    return respawns;
  }

  /** Starts a new worker at index, retrying with backoff; gives up and closes the Sfu after the policy's attempts. */
  async #replace(index: number, counter: RespawnCounter): Promise<SfuWorker> {
    let lastError: Error | undefined;

    for (;;) {
      const delayMs = counter.next();

      if (delayMs === undefined) {
        const error = new Error(
          `no media worker could start in place of worker ${index} after ${this.#policy.maxAttempts} attempts in a row` +
            (lastError ? ` (last error: ${lastError.message})` : ' (each new worker died within ' +
              `${this.#policy.healthyAfterMs / 1000} s)`),
        );

        this.#giveUp(error);
        throw error;
      }
      if (delayMs > 0) {
        this.#logger.warn({ workerIndex: index, delayMs, attempt: counter.attempts }, 'waiting before the next worker start');
        await delay(delayMs, undefined, { signal: this.#closing.signal });
      }

      try {
        return this.#install(await SfuWorker.create(index, this.#config, this.#announcedIp, this.#logger));
      } catch (error) {
        if (this.#closed) throw error;
        lastError = error as Error;
        this.#logger.error({ workerIndex: index, attempt: counter.attempts, err: error }, 'new worker failed to start');
      }
    }
  }

  /** Puts a new worker in its slot, unless the Sfu closed meanwhile. */
  #install(worker: SfuWorker): SfuWorker {
    if (this.#closed) {
      worker.close();
      throw new Error('the media workers are closed');
    }
    this.#workers[worker.index] = worker;
    this.#watch(worker);
    this.#logger.info({ workerIndex: worker.index, workerPid: worker.pid, port: worker.port }, 'worker replaced');
    this.emit('workerreplaced', { index: worker.index, pid: worker.pid });

    return worker;
  }

  #giveUp(error: Error): void {
    if (this.#closed) return;
    this.#logger.fatal({ err: error }, 'giving up on the media workers; closing every room');
    this.close();
    this.emit('failed', error);
  }
}

function firstExternalIpv4(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }

  return undefined;
}
