import { avoidPortRange } from '../../streams/local-ports.js';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Logger } from '../log.js';
import type { PodiumConfig } from '../config/schema.js';
import { webRtcPort } from './port-plan.js';

/**
 * One mediasoup worker (one process, one CPU core) with its WebRtcServer on
 * its own UDP and TCP port, and the number of WebRTC viewers placed on it.
 */
export class SfuWorker {
  readonly index: number;
  readonly worker: types.Worker;
  readonly webRtcServer: types.WebRtcServer;
  /** The WebRtcServer's port (UDP and TCP), as the port plan gives it; 0 for any free port. */
  readonly port: number;
  /** WebRTC viewers whose receive transport is on this worker. */
  viewers = 0;
  /** When the worker started, in ms since the epoch. */
  readonly startedAt = Date.now();

  private constructor(index: number, worker: types.Worker, webRtcServer: types.WebRtcServer, port: number) {
    this.index = index;
    this.worker = worker;
    this.webRtcServer = webRtcServer;
    this.port = port;
  }

  /** Starts worker number index and its WebRtcServer on the port plan's port. */
  static async create(index: number, config: PodiumConfig['sfu'], announcedIp: string, logger: Logger): Promise<SfuWorker> {
    // Local receivers (ffmpeg, the program's relays) must never pick a port the worker opens later.
    avoidPortRange(config.rtcMinPort, config.rtcMaxPort);

    const worker = await mediasoup.createWorker({
      logLevel: 'warn',
      rtcMinPort: config.rtcMinPort,
      rtcMaxPort: config.rtcMaxPort,
      appData: { index },
    });
    const port = webRtcPort(config, index);
    let webRtcServer: types.WebRtcServer;

    try {
      webRtcServer = await worker.createWebRtcServer({
        listenInfos: [
          { protocol: 'udp', ip: config.listenIp, announcedIp, port: port === 0 ? undefined : port },
          { protocol: 'tcp', ip: config.listenIp, announcedIp, port: port === 0 ? undefined : port },
        ],
      });
    } catch (error) {
      worker.close();
      throw new Error(
        `cannot listen for WebRTC on ${config.listenIp}:${port} for worker ${index} ` +
          `(sfu.listenIp, sfu.port plus the worker index): ${(error as Error).message}; ` +
          'choose a port whose block of one port per worker is free, or an address of this machine',
      );
    }
    logger.info({ workerIndex: index, workerPid: worker.pid, listenIp: config.listenIp, announcedIp, port }, 'worker started');

    return new SfuWorker(index, worker, webRtcServer, port);
  }

  get pid(): number {
    return this.worker.pid;
  }

  /** False once the worker has died or been closed. */
  get alive(): boolean {
    return !this.worker.closed;
  }

  /**
   * Closes the WebRtcServer, then the worker. Call it only after every
   * transport on the server is closed: mediasoup 3.12's worker crashes when a
   * WebRtcServer closes while WebRtcTransports still use it.
   */
  close(): void {
    this.webRtcServer.close();
    this.worker.close();
  }
}
