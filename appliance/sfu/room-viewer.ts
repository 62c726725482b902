import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { Logger } from '../log.js';
import type { SourceLabel } from './source-labels.js';
import type { ViewerRoute } from './viewer-routes.js';

/** The parameters a browser needs to create its receive transport. */
export type TransportOptions = {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
};

/** The parameters a browser needs to create one consumer. */
export type ConsumerOptions = {
  id: string;
  producerId: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
  source: SourceLabel;
};

export type RoomViewerEvents = { close: [] };

/** The room functions a viewer needs to publish. */
export type RoomPublishing = {
  createSendTransport(): Promise<types.WebRtcTransport>;
  adoptProducer(source: SourceLabel, producer: types.Producer): void;
};

/**
 * The server side of one browser in the room: a WebRTC receive transport with
 * its consumers and, for those allowed to publish, a send transport with its
 * producers. Closing the viewer closes both transports.
 */
export class RoomViewer extends EventEmitter<RoomViewerEvents> {
  readonly id: string;
  readonly #transport: types.WebRtcTransport;
  readonly #route: ViewerRoute;
  readonly #consumers = new Map<string, types.Consumer>();
  /** The source of each consumer, by consumer id. */
  readonly #consumerSources = new Map<string, SourceLabel>();
  readonly #logger: Logger;
  readonly #publishing: RoomPublishing;
  /** This viewer's own producers, by source. */
  readonly #produced = new Map<SourceLabel, types.Producer>();
  #sendTransport: types.WebRtcTransport | undefined;
  #sendTransportCreation: Promise<types.WebRtcTransport> | undefined;
  #closed = false;

  constructor(
    id: string,
    transport: types.WebRtcTransport,
    route: ViewerRoute,
    logger: Logger,
    publishing: RoomPublishing,
  ) {
    super();
    this.id = id;
    this.#transport = transport;
    this.#route = route;
    this.#publishing = publishing;
    this.#logger = logger.child({ transportId: transport.id });
    transport.observer.once('close', () => this.close());
    transport.on('icestatechange', (state) => this.#logger.debug({ state }, 'ice state changed'));
    transport.on('dtlsstatechange', (state) => {
      this.#logger.info({ state }, 'dtls state changed');
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  transportOptions(): TransportOptions {
    return {
      id: this.#transport.id,
      iceParameters: this.#transport.iceParameters,
      iceCandidates: this.#transport.iceCandidates,
      dtlsParameters: this.#transport.dtlsParameters,
    };
  }

  async connect(dtlsParameters: types.DtlsParameters): Promise<void> {
    await this.#transport.connect({ dtlsParameters });
  }

  /**
   * Creates a paused consumer for each requested source the room has and the
   * browser can decode, on the viewer's route (piped there when the viewer
   * is on another worker). Sources the room lacks are skipped.
   */
  async consume(rtpCapabilities: types.RtpCapabilities, sources: SourceLabel[]): Promise<ConsumerOptions[]> {
    const created: ConsumerOptions[] = [];

    for (const source of sources) {
      const consumer = await this.#route.consume(this.#transport, source, rtpCapabilities);

      if (!consumer) continue;

      this.#consumers.set(consumer.id, consumer);
      this.#consumerSources.set(consumer.id, source);
      consumer.observer.once('close', () => {
        this.#consumers.delete(consumer.id);
        this.#consumerSources.delete(consumer.id);
      });
      created.push({
        id: consumer.id,
        producerId: consumer.producerId,
        kind: consumer.kind,
        rtpParameters: consumer.rtpParameters,
        source,
      });
    }

    return created;
  }

  /** Returns the sources this viewer receives now, one entry per consumer. */
  consumedSources(): SourceLabel[] {
    return [...this.#consumerSources.values()];
  }

  /** Closes this viewer's consumers of a source; returns how many it had. */
  stopConsuming(source: SourceLabel): number {
    const ids = [...this.#consumerSources].filter(([, consumed]) => consumed === source).map(([id]) => id);

    for (const id of ids) this.#consumers.get(id)?.close();

    return ids.length;
  }

  /**
   * Returns the outbound RTP counters of this viewer's consumers; packetsLost
   * is what the browser reported in its receiver reports.
   */
  async consumerStats(): Promise<types.ConsumerStat[]> {
    const all = await Promise.all(
      [...this.#consumers.values()].map((consumer) => consumer.getStats().catch(() => [])),
    );

    return all.flat().filter((stat) => stat.type === 'outbound-rtp');
  }

  /** Returns true when the consumer existed and is now resumed. */
  async resume(consumerId: string): Promise<boolean> {
    const consumer = this.#consumers.get(consumerId);

    if (!consumer) return false;
    await consumer.resume();
    if (consumer.kind === 'video') await consumer.requestKeyFrame();

    return true;
  }

  /** Creates (once) the transport this browser publishes on. */
  async createSendTransport(): Promise<TransportOptions> {
    // Concurrent requests share one creation, so that no transport is left unclosed.
    this.#sendTransportCreation ??= this.#publishing.createSendTransport().then(
      (created) => {
        if (this.#closed) {
          created.close();
          throw new Error('the viewer closed while its send transport was created');
        }
        this.#sendTransport = created;

        return created;
      },
      (error: unknown) => {
        this.#sendTransportCreation = undefined;
        throw error;
      },
    );

    const transport = await this.#sendTransportCreation;

    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectSendTransport(dtlsParameters: types.DtlsParameters): Promise<void> {
    await this.#requireSendTransport().connect({ dtlsParameters });
  }

  /** Publishes a browser track into the room under a source label; returns the producer id. */
  async produce(kind: types.MediaKind, rtpParameters: types.RtpParameters, source: SourceLabel): Promise<string> {
    const producer = await this.#requireSendTransport().produce({ kind, rtpParameters, appData: { source } });

    this.#publishing.adoptProducer(source, producer);
    this.#produced.get(source)?.close();
    this.#produced.set(source, producer);
    producer.observer.once('close', () => {
      if (this.#produced.get(source) === producer) this.#produced.delete(source);
    });

    return producer.id;
  }

  /** Returns the sources this viewer publishes now. */
  producedSources(): SourceLabel[] {
    return [...this.#produced.keys()];
  }

  /**
   * Pauses or resumes this viewer's producer of a source (staff mute a
   * guest); returns false when it has none. A paused producer forwards
   * nothing, to browsers and to the program alike.
   */
  async setProducerPaused(source: SourceLabel, paused: boolean): Promise<boolean> {
    const producer = this.#produced.get(source);

    if (!producer) return false;
    if (paused) await producer.pause();
    else await producer.resume();

    return true;
  }

  /** Closes this viewer's producer of a source; returns false when it has none. */
  stopProducing(source: SourceLabel): boolean {
    const producer = this.#produced.get(source);

    if (!producer) return false;
    producer.close();

    return true;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#transport.close();
    this.#sendTransport?.close();
    this.#route.release();
    this.emit('close');
  }

  #requireSendTransport(): types.WebRtcTransport {
    if (!this.#sendTransport) throw new Error('no send transport; send "createSendTransport" first');

    return this.#sendTransport;
  }
}
