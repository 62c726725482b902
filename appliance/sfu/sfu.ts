import { EventEmitter } from 'node:events';
import { networkInterfaces } from 'node:os';
import type { Logger } from '../log.js';
import type { PodiumConfig } from '../config/schema.js';
import { roomMediaCodecs } from './media-codecs.js';
import { workerCount } from './port-plan.js';
import { Room } from './room.js';
import { SfuWorker } from './sfu-worker.js';

export type SfuEvents = {
  /** A mediasoup worker died; every room is closed. */
  workerdied: [Error];
};

/**
 * Owns the mediasoup workers (sfu.workers, one per CPU core by default), each
 * with its WebRtcServer on the port plan's port (sfu.port plus the worker
 * index), and creates rooms. A room's own router lives on worker 0; its
 * viewers spill over to the other workers (see ViewerRoutes). This module and
 * the other files of appliance/sfu/ are the only code that imports mediasoup.
 */
export class Sfu extends EventEmitter<SfuEvents> {
  readonly #workers: SfuWorker[];
  readonly #viewersPerWorker: number;
  readonly #logger: Logger;
  readonly #rooms = new Map<string, Room>();
  #closed = false;

  private constructor(workers: SfuWorker[], viewersPerWorker: number, logger: Logger) {
    super();
    this.#workers = workers;
    this.#viewersPerWorker = viewersPerWorker;
    this.#logger = logger;
    for (const worker of workers) worker.worker.on('died', (error) => this.#onWorkerDied(worker, error));
  }

  static async create(config: PodiumConfig['sfu'], parentLogger: Logger): Promise<Sfu> {
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

    return new Sfu(workers, config.viewersPerWorker, logger);
  }

  /** The pid of worker 0, which runs every room's own router. */
  get workerPid(): number {
    return this.#workers[0]!.pid;
  }

  /** The pids of every worker, in worker order. */
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

  /** Resolves when every worker responds to a request within timeoutMs, and rejects otherwise. */
  async ping(timeoutMs: number): Promise<void> {
    if (this.#closed) throw new Error('the media worker is closed');

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the media worker did not respond within ${timeoutMs} ms`)), timeoutMs);
    });

    try {
      await Promise.race([Promise.all(this.#workers.map((worker) => worker.worker.getResourceUsage())), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async createRoom(id: string): Promise<Room> {
    const origin = this.#workers[0]!;
    const router = await origin.worker.createRouter({ mediaCodecs: structuredClone(roomMediaCodecs) });
    const room = new Room(id, router, { workers: this.#workers, origin, viewersPerWorker: this.#viewersPerWorker }, this.#logger);

    this.#rooms.set(id, room);
    room.once('close', () => this.#rooms.delete(id));

    return room;
  }

  /**
   * Closes every room, then each worker's WebRtcServer and the worker. The
   * order matters: mediasoup 3.12's worker crashes when a WebRtcServer closes
   * while WebRtcTransports still use it.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;

    for (const room of this.#rooms.values()) room.close();
    for (const worker of this.#workers) worker.close();
    this.#logger.info({ workerPids: this.workerPids }, 'workers closed');
  }

  #onWorkerDied(worker: SfuWorker, error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#logger.error({ workerIndex: worker.index, workerPid: worker.pid, err: error }, 'worker died');
    // Rooms span workers (their viewers may sit on any of them), so one death
    // ends every room; the other workers close with them.
    for (const room of this.#rooms.values()) room.close();
    for (const other of this.#workers) if (other !== worker) other.close();
    this.emit('workerdied', error);
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
