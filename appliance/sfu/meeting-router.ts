import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { Logger } from '../log.js';
import { roomMediaCodecs } from './media-codecs.js';
import type { SfuWorker } from './sfu-worker.js';

/** How often the audio level observer reports the loudest microphone, in ms. */
const LEVEL_INTERVAL_MS = 500;
/** Microphones below this level (dBov, from the RTP audio level extension) count as silent. */
const SPEAKING_THRESHOLD_DBOV = -60;

/** A participant's published track, as the router records it. */
export type MeetingTrack = { peerId: string; source: string; producer: types.Producer };

export type MeetingRouterEvents = {
  /** The router closed: by close(), or with its worker. */
  close: [];
  /** The participant heard loudest changed. */
  activespeaker: [peerId: string];
  /** A track was published or ended. */
  tracks: [];
};

/**
 * One meeting's mediasoup router, on one worker: the participants'
 * transports, every published track by producer id, and the audio level
 * observer, which follows every microphone and names the loudest.
 */
export class MeetingRouter extends EventEmitter<MeetingRouterEvents> {
  readonly meetingId: string;
  readonly workerIndex: number;
  readonly #router: types.Router;
  readonly #webRtcServer: types.WebRtcServer;
  readonly #speakers: types.AudioLevelObserver;
  readonly #tracks = new Map<string, MeetingTrack>();
  readonly #logger: Logger;

  private constructor(meetingId: string, worker: SfuWorker, router: types.Router, speakers: types.AudioLevelObserver, logger: Logger) {
    super();
    this.meetingId = meetingId;
    this.workerIndex = worker.index;
    this.#router = router;
    this.#webRtcServer = worker.webRtcServer;
    this.#speakers = speakers;
    this.#logger = logger;
    // The loudest microphone above the threshold is the active speaker; in silence the last one stays.
    speakers.on('volumes', (volumes) => {
      const peerId = volumes[0] && this.#tracks.get(volumes[0].producer.id)?.peerId;

      if (peerId) this.emit('activespeaker', peerId);
    });
    router.observer.once('close', () => {
      this.#logger.info('meeting router closed');
      this.emit('close');
    });
  }

  /** Creates the meeting's router on the worker. */
  static async create(meetingId: string, worker: SfuWorker, parentLogger: Logger): Promise<MeetingRouter> {
    const router = await worker.worker.createRouter({ mediaCodecs: structuredClone(roomMediaCodecs), appData: { meetingId } });
    const speakers = await router.createAudioLevelObserver({ maxEntries: 1, threshold: SPEAKING_THRESHOLD_DBOV, interval: LEVEL_INTERVAL_MS });
    const logger = parentLogger.child({ meetingId, workerIndex: worker.index, routerId: router.id });

    logger.info('meeting router created');

    return new MeetingRouter(meetingId, worker, router, speakers, logger);
  }

  get closed(): boolean {
    return this.#router.closed;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.#router.rtpCapabilities;
  }

  /** Creates a WebRTC transport on the worker's WebRtcServer for one participant. */
  createTransport(peerId: string, direction: 'send' | 'recv'): Promise<types.WebRtcTransport> {
    return this.#router.createWebRtcTransport({
      webRtcServer: this.#webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      appData: { peerId, direction },
    });
  }

  /** Makes a participant's new producer known to the others; microphones join the audio level observer. */
  addTrack(peerId: string, source: string, producer: types.Producer): void {
    this.#tracks.set(producer.id, { peerId, source, producer });
    if (producer.kind === 'audio') {
      this.#speakers.addProducer({ producerId: producer.id }).catch((error: unknown) => {
        this.#logger.warn({ err: error, peerId, producerId: producer.id }, 'microphone not followed for the active speaker');
      });
    }
    producer.observer.once('close', () => {
      this.#tracks.delete(producer.id);
      if (!this.closed) this.emit('tracks');
    });
    this.#logger.info({ peerId, source, producerId: producer.id, kind: producer.kind }, 'meeting track published');
    this.emit('tracks');
  }

  track(producerId: string): MeetingTrack | undefined {
    return this.#tracks.get(producerId);
  }

  tracks(): MeetingTrack[] {
    return [...this.#tracks.values()];
  }

  /**
   * Pipes a track into another router (a broadcast's room) and returns the
   * piped producer, which keeps the track's id. Closing the piped producer
   * closes the pipe; a track that ends closes it too (mediasoup links them).
   */
  async pipeToRouter(producerId: string, router: types.Router): Promise<types.Producer> {
    const { pipeProducer } = await this.#router.pipeToRouter({ producerId, router });

    if (!pipeProducer) throw new Error(`meeting track ${producerId} was not piped`);

    return pipeProducer;
  }

  /**
   * Publishes a local process's RTP stream as a participant's track, on a
   * plain transport on loopback that learns the sender from its first
   * packet (comedia, RTCP on the RTP port). Tests publish into a meeting
   * this way without a browser. Closing the returned producer closes the
   * transport.
   */
  async createRtpIngest(
    peerId: string,
    source: string,
    kind: types.MediaKind,
    rtpParameters: types.RtpParameters,
  ): Promise<{ producer: types.Producer; rtpPort: number }> {
    const transport = await this.#router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: true });
    const producer = await transport.produce({ kind, rtpParameters, appData: { peerId, source } });

    producer.observer.once('close', () => transport.close());
    this.addTrack(peerId, source, producer);

    return { producer, rtpPort: transport.tuple.localPort };
  }

  canConsume(producerId: string, rtpCapabilities: types.RtpCapabilities): boolean {
    return this.#router.canConsume({ producerId, rtpCapabilities });
  }

  /** Closes the router; the participants' transports must be closed first (mediasoup 3.12's rule). */
  close(): void {
    this.#router.close();
  }
}
