import { EventEmitter } from 'node:events';
import { networkInterfaces } from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Logger } from '../log.js';
import type { PodiumConfig } from '../config/schema.js';
import { roomMediaCodecs } from './media-codecs.js';
import { Room } from './room.js';

export type SfuEvents = {
  /** The mediasoup worker died; every room of it is closed. */
  workerdied: [Error];
};

/**
 * Owns the mediasoup worker and its WebRtcServer (one UDP and one TCP port
 * for every browser), and creates rooms on it. This module and room.ts are
 * the only code that imports mediasoup.
 */
export class Sfu extends EventEmitter<SfuEvents> {
  readonly #worker: types.Worker;
  readonly #webRtcServer: types.WebRtcServer;
  readonly #logger: Logger;
  readonly #rooms = new Map<string, Room>();
  #closed = false;

  private constructor(worker: types.Worker, webRtcServer: types.WebRtcServer, logger: Logger) {
    super();
    this.#worker = worker;
    this.#webRtcServer = webRtcServer;
    this.#logger = logger;
    worker.on('died', (error) => this.#onWorkerDied(error));
  }

  static async create(config: PodiumConfig['sfu'], parentLogger: Logger): Promise<Sfu> {
    const logger = parentLogger.child({ module: 'sfu' });
    const worker = await mediasoup.createWorker({
      logLevel: 'warn',
      rtcMinPort: config.rtcMinPort,
      rtcMaxPort: config.rtcMaxPort,
    });
    const announcedIp = config.announcedAddress || firstExternalIpv4() || '127.0.0.1';
    const port = config.port === 0 ? undefined : config.port;
    let webRtcServer: types.WebRtcServer;

    try {
      webRtcServer = await worker.createWebRtcServer({
        listenInfos: [
          { protocol: 'udp', ip: config.listenIp, announcedIp, port },
          { protocol: 'tcp', ip: config.listenIp, announcedIp, port },
        ],
      });
    } catch (error) {
      worker.close();
      throw new Error(
        `cannot listen for WebRTC on ${config.listenIp}:${config.port} (sfu.listenIp, sfu.port): ` +
          `${(error as Error).message}; choose a free port or an address of this machine`,
      );
    }
    logger.info({ workerPid: worker.pid, listenIp: config.listenIp, announcedIp, port: config.port }, 'worker started');

    return new Sfu(worker, webRtcServer, logger);
  }

  get workerPid(): number {
    return this.#worker.pid;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Resolves when the worker responds to a request within timeoutMs, and rejects otherwise. */
  async ping(timeoutMs: number): Promise<void> {
    if (this.#closed) throw new Error('the media worker is closed');

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the media worker did not respond within ${timeoutMs} ms`)), timeoutMs);
    });

    try {
      await Promise.race([this.#worker.getResourceUsage(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async createRoom(id: string): Promise<Room> {
    const router = await this.#worker.createRouter({ mediaCodecs: structuredClone(roomMediaCodecs) });
    const room = new Room(id, router, this.#webRtcServer, this.#logger);

    this.#rooms.set(id, room);
    room.once('close', () => this.#rooms.delete(id));

    return room;
  }

  /**
   * Closes every room, then the WebRtcServer, then the worker. The order
   * matters: mediasoup 3.12's worker crashes when a WebRtcServer closes while
   * WebRtcTransports still use it.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;

    for (const room of this.#rooms.values()) room.close();
    this.#webRtcServer.close();
    this.#worker.close();
    this.#logger.info({ workerPid: this.#worker.pid }, 'worker closed');
  }

  #onWorkerDied(error: Error): void {
    this.#closed = true;
    this.#logger.error({ workerPid: this.#worker.pid, err: error }, 'worker died');
    for (const room of this.#rooms.values()) room.close();
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
