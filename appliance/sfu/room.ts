import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { Logger } from '../log.js';
import type { SourceLabel } from './source-labels.js';
import { RoomViewer } from './room-viewer.js';
import { ViewerRoutes, type WorkerPool } from './viewer-routes.js';

const LOOPBACK = '127.0.0.1';

/** A local process's RTP stream published into the room. */
export type RtpIngest = {
  source: SourceLabel;
  /** Loopback ports the process sends RTP and RTCP to. */
  rtpPort: number;
  rtcpPort: number;
  close(): void;
};

/** A room producer sent as plain RTP to a local process (an output). */
export type RtpEgress = {
  source: SourceLabel;
  /** The RTP parameters the receiving process must expect (for its SDP). */
  rtpParameters: types.RtpParameters;
  /** Starts the flow; call once the receiver listens. */
  resume(): Promise<void>;
  /** Packets and bytes sent so far. */
  stats(): Promise<{ packetCount: number; byteCount: number }>;
  close(): void;
};

export type ProducerStats = { packetCount: number; byteCount: number; bitrate: number; packetsLost: number };

/** Sums over the WebRTC viewers' consumers: what the room sends to browsers. */
export type EgressStats = { viewers: number; packetCount: number; byteCount: number; bitrate: number; packetsLost: number };

export type RoomEvents = {
  close: [];
  /** A producer with this source label appeared or was replaced. */
  producer: [SourceLabel];
  producerclose: [SourceLabel];
};

/**
 * One live room: a mediasoup router, the producers published into it (each
 * with a source label) and the transports of its clients. WebRTC viewers
 * beyond the per-worker limit are served from the room's routers on other
 * workers (ViewerRoutes). Closing the room closes every transport, producer
 * and consumer in it.
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly id: string;
  readonly #router: types.Router;
  readonly #webRtcServer: types.WebRtcServer;
  readonly #logger: Logger;
  readonly #producers = new Map<SourceLabel, types.Producer>();
  readonly #viewers = new Set<RoomViewer>();
  readonly #viewerRoutes: ViewerRoutes;
  #closed = false;

  constructor(id: string, router: types.Router, pool: WorkerPool, logger: Logger) {
    super();
    this.id = id;
    this.#router = router;
    this.#webRtcServer = pool.origin.webRtcServer;
    this.#logger = logger.child({ roomId: id });
    this.#viewerRoutes = new ViewerRoutes(router, this.#producers, pool, this.#logger);
    router.observer.once('close', () => this.close());
    this.#logger.info('room created');
  }

  get closed(): boolean {
    return this.#closed;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.#router.rtpCapabilities;
  }

  /** Source labels that currently have a producer. */
  sources(): SourceLabel[] {
    return [...this.#producers.keys()];
  }

  hasSource(source: SourceLabel): boolean {
    return this.#producers.has(source);
  }

  /** True while the source's producer is paused (a muted guest), undefined when the source is absent. */
  isPaused(source: SourceLabel): boolean | undefined {
    return this.#producers.get(source)?.paused;
  }

  /** Returns the producer's receive counters, or undefined when the source is absent. */
  async producerStats(source: SourceLabel): Promise<ProducerStats | undefined> {
    const producer = this.#producers.get(source);

    if (!producer) return undefined;

    const stats = await producer.getStats();
    const sum = { packetCount: 0, byteCount: 0, bitrate: 0, packetsLost: 0 };

    for (const entry of stats) {
      sum.packetCount += entry.packetCount;
      sum.byteCount += entry.byteCount;
      sum.bitrate += entry.bitrate;
      sum.packetsLost += entry.packetsLost;
    }

    return sum;
  }

  /** Returns the send counters of every WebRTC viewer's consumers, summed. */
  async egressStats(): Promise<EgressStats> {
    const sum = { viewers: this.#viewers.size, packetCount: 0, byteCount: 0, bitrate: 0, packetsLost: 0 };
    const perViewer = await Promise.all([...this.#viewers].map((viewer) => viewer.consumerStats()));

    for (const stats of perViewer.flat()) {
      sum.packetCount += stats.packetCount;
      sum.byteCount += stats.byteCount;
      sum.bitrate += stats.bitrate;
      sum.packetsLost += stats.packetsLost;
    }

    return sum;
  }

  /**
   * Opens a plain RTP transport on loopback that learns the sender's address
   * from its first packet (comedia), and a producer for the stream. A second
   * ingest for the same source replaces the first.
   */
  async createRtpIngest(
    source: SourceLabel,
    kind: types.MediaKind,
    rtpParameters: types.RtpParameters,
  ): Promise<RtpIngest> {
    this.#assertOpen();

    const transport = await this.#router.createPlainTransport({
      listenIp: LOOPBACK,
      rtcpMux: false,
      comedia: true,
    });
    const producer = await transport.produce({ kind, rtpParameters, appData: { source } });

    producer.observer.once('close', () => transport.close());
    this.#adoptProducer(source, producer);

    return {
      source,
      rtpPort: transport.tuple.localPort,
      rtcpPort: transport.rtcpTuple?.localPort ?? transport.tuple.localPort + 1,
      close: () => producer.close(),
    };
  }

  /**
   * Sends the producer of a source as plain RTP to a local receiver, paused
   * until resume() so that the receiver can open its ports first.
   */
  async createRtpEgress(
    source: SourceLabel,
    receiver: { rtpPort: number; rtcpPort: number },
  ): Promise<RtpEgress> {
    this.#assertOpen();

    const producer = this.#producers.get(source);

    if (!producer) throw new Error(`room ${this.id} has no producer for source "${source}"`);

    const transport = await this.#router.createPlainTransport({ listenIp: LOOPBACK, rtcpMux: false });

    await transport.connect({ ip: LOOPBACK, port: receiver.rtpPort, rtcpPort: receiver.rtcpPort });

    const consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities: plainReceiverCapabilities(this.#router.rtpCapabilities),
      paused: true,
    });

    consumer.observer.once('close', () => transport.close());
    this.#logger.info({ source, consumerId: consumer.id, port: receiver.rtpPort }, 'rtp egress created');

    return {
      source,
      rtpParameters: consumer.rtpParameters,
      resume: async () => {
        await consumer.resume();
        await consumer.requestKeyFrame();
      },
      stats: async () => {
        const stats = await consumer.getStats();
        const outbound = stats.find((entry) => entry.type === 'outbound-rtp');

        return { packetCount: outbound?.packetCount ?? 0, byteCount: outbound?.byteCount ?? 0 };
      },
      close: () => transport.close(),
    };
  }

  /**
   * Makes a producer of another router the room's producer for a source
   * label: `pipe` pipes it into the room's router (pipeToRouter) and returns
   * the piped producer, which replaces an earlier producer of the label. A
   * meeting's broadcast feeds the program this way.
   */
  async adoptPipedProducer(source: SourceLabel, pipe: (router: types.Router) => Promise<types.Producer>): Promise<void> {
    this.#assertOpen();

    const producer = await pipe(this.#router);

    if (this.#closed) {
      producer.close();
      throw new Error(`room ${this.id} closed while a producer was piped into it`);
    }
    this.#adoptProducer(source, producer);
  }

  /** Closes the producer of a source label, if any; the program falls back to its stand-in. */
  closeSource(source: SourceLabel): void {
    this.#producers.get(source)?.close();
  }

  /**
   * Creates the server side of one browser viewer: a WebRTC receive transport
   * on the worker that ViewerRoutes chooses.
   */
  async createViewer(viewerId: string, logger: Logger): Promise<RoomViewer> {
    this.#assertOpen();

    const route = await this.#viewerRoutes.routeFor(viewerId);
    let transport: types.WebRtcTransport;

    try {
      transport = await route.router.createWebRtcTransport({
        webRtcServer: route.webRtcServer,
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        appData: { viewerId },
      });
    } catch (error) {
      route.release();
      throw error;
    }

    const viewer = new RoomViewer(viewerId, transport, route, logger.child({ workerIndex: route.workerIndex }), {
      createSendTransport: () =>
        this.#router.createWebRtcTransport({
          webRtcServer: this.#webRtcServer,
          enableUdp: true,
          enableTcp: true,
          preferUdp: true,
          appData: { viewerId, direction: 'send' },
        }),
      adoptProducer: (source, producer) => this.#adoptProducer(source, producer),
    });

    this.#viewers.add(viewer);
    viewer.once('close', () => this.#viewers.delete(viewer));

    return viewer;
  }

  /**
   * Makes a producer the room's producer for a source label, replacing and
   * closing an earlier one of the same source.
   */
  #adoptProducer(source: SourceLabel, producer: types.Producer): void {
    const previous = this.#producers.get(source);

    this.#producers.set(source, producer);
    previous?.close();
    producer.observer.once('close', () => {
      if (this.#producers.get(source) !== producer) return;
      this.#producers.delete(source);
      if (!this.#closed) this.emit('producerclose', source);
    });
    this.#logger.info({ source, producerId: producer.id, kind: producer.kind }, 'producer added');
    this.emit('producer', source);
  }

  /** Returns the room's routers on other workers, by worker index (for tests and status). */
  pipedRouters(): ReturnType<ViewerRoutes['pipedRouters']> {
    return this.#viewerRoutes.pipedRouters();
  }

  /** Closes every viewer (their transports first), then the routers on other workers, then the router. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;

    for (const viewer of this.#viewers) viewer.close();
    this.#viewerRoutes.close();
    this.#router.close();
    this.#producers.clear();
    this.#logger.info('room closed');
    this.emit('close');
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`room ${this.id} is closed`);
  }
}

/**
 * Capabilities of a plain RTP receiver such as ffmpeg: the router's codecs
 * without RTX, RTCP feedback or header extensions. Without them mediasoup
 * neither retransmits nor sends bandwidth probation packets, whose own
 * sequence numbers would confuse ffmpeg's RTP reordering.
 */
function plainReceiverCapabilities(capabilities: types.RtpCapabilities): types.RtpCapabilities {
  const codecs = (capabilities.codecs ?? [])
    .filter((codec) => codec.mimeType.toLowerCase() !== 'video/rtx')
    .map((codec) => ({ ...codec, rtcpFeedback: [] }));

  return { codecs, headerExtensions: [] };
}
