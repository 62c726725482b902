import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { Logger } from '../log.js';
import type { SourceLabel } from './source-labels.js';

/** What a browser needs to create its receive transport. */
export type TransportOptions = {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
};

/** What a browser needs to create one consumer. */
export type ConsumerOptions = {
  id: string;
  producerId: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
  source: SourceLabel;
};

export type RoomViewerEvents = { close: [] };

/**
 * The server side of one browser that receives from the room: one WebRTC
 * transport and its consumers. Closing the viewer closes the transport.
 */
export class RoomViewer extends EventEmitter<RoomViewerEvents> {
  readonly id: string;
  readonly #transport: types.WebRtcTransport;
  readonly #producers: ReadonlyMap<SourceLabel, types.Producer>;
  readonly #consumers = new Map<string, types.Consumer>();
  readonly #logger: Logger;
  #closed = false;

  constructor(
    id: string,
    transport: types.WebRtcTransport,
    producers: ReadonlyMap<SourceLabel, types.Producer>,
    logger: Logger,
  ) {
    super();
    this.id = id;
    this.#transport = transport;
    this.#producers = producers;
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
   * browser can decode. Sources the room lacks are skipped.
   */
  async consume(rtpCapabilities: types.RtpCapabilities, sources: SourceLabel[]): Promise<ConsumerOptions[]> {
    const created: ConsumerOptions[] = [];

    for (const source of sources) {
      const producer = this.#producers.get(source);

      if (!producer) continue;

      const consumer = await this.#transport.consume({
        producerId: producer.id,
        rtpCapabilities,
        paused: true,
      });

      this.#consumers.set(consumer.id, consumer);
      consumer.observer.once('close', () => this.#consumers.delete(consumer.id));
      created.push({
        id: consumer.id,
        producerId: producer.id,
        kind: consumer.kind,
        rtpParameters: consumer.rtpParameters,
        source,
      });
    }

    return created;
  }

  /** Returns true when the consumer existed and is now resumed. */
  async resume(consumerId: string): Promise<boolean> {
    const consumer = this.#consumers.get(consumerId);

    if (!consumer) return false;
    await consumer.resume();
    if (consumer.kind === 'video') await consumer.requestKeyFrame();

    return true;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#transport.close();
    this.emit('close');
  }
}
