import type { types } from 'mediasoup';
import { podiumError } from '../errors.js';
import type { Logger } from '../log.js';
import type { MeetingRouter } from './meeting-router.js';
import type { TransportOptions } from './room-viewer.js';


export type MeetingConsumer = {
  id: string;
  producerId: string;
  peerId: string;
  source: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
};

export type MeetingPeerMediaEvents = {
  /** A consumer closed because its producer did. */
  consumerclose: (consumerId: string) => void;
  /** A simulcast consumer now forwards another spatial layer (null: none, for lack of bandwidth). */
  layerschange: (consumerId: string, spatialLayer: number | null) => void;
};

/**
 * One participant's media in a meeting: a send and a receive transport, the
 * tracks they publish by source, and what they receive. A simulcast video
 * consumer forwards the highest layer that the receiver's bandwidth carries,
 * up to the layer the page prefers. mediasoup estimates the bandwidth per
 * transport, so a weak receiver does not lower what the others get.
 */
export class MeetingPeerMedia {
  readonly peerId: string;
  readonly #router: MeetingRouter;
  readonly #logger: Logger;
  readonly #events: MeetingPeerMediaEvents;
  readonly #transports = new Map<string, types.WebRtcTransport>();
  readonly #producers = new Map<string, types.Producer>();
  readonly #consumers = new Map<string, types.Consumer>();
  #closed = false;

  constructor(peerId: string, router: MeetingRouter, logger: Logger, events: MeetingPeerMediaEvents) {
    this.peerId = peerId;
    this.#router = router;
    this.#logger = logger;
    this.#events = events;
  }

  /** Creates a transport; a page has at most one of each direction, so a new one replaces the old. */
  async createTransport(direction: 'send' | 'recv'): Promise<TransportOptions> {
    const transport = await this.#router.createTransport(this.peerId, direction);

    if (this.#closed) {
      transport.close();
      throw new Error('the participant left while the transport was created');
    }
    for (const [id, existing] of this.#transports) {
      if (existing.appData.direction === direction) {
        existing.close();
        this.#transports.delete(id);
      }
    }
    this.#transports.set(transport.id, transport);
    transport.on('dtlsstatechange', (state) => this.#logger.info({ transportId: transport.id, direction, state }, 'dtls state changed'));

    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  /** Returns false when the participant has no transport of that id. */
  async connectTransport(transportId: string, dtlsParameters: types.DtlsParameters): Promise<boolean> {
    const transport = this.#transports.get(transportId);

    if (!transport) return false;
    await transport.connect({ dtlsParameters });

    return true;
  }

  /** Publishes a track under its source, ending an earlier one of the same source; returns the producer id. */
  async produce(kind: types.MediaKind, source: string, rtpParameters: types.RtpParameters): Promise<string> {
    const transport = this.#transport('send');

    if (!transport) throw podiumError('PODIUM_ERR_MEETING_TRACK_NOT_FOUND', 'transport of direction', 'send');

    const producer = await transport.produce({ kind, rtpParameters, appData: { peerId: this.peerId, source } });

    this.#producers.get(source)?.close();
    this.#producers.set(source, producer);
    producer.observer.once('close', () => {
      if (this.#producers.get(source) === producer) this.#producers.delete(source);
    });
    this.#router.addTrack(this.peerId, source, producer);

    return producer.id;
  }

  /** Pauses or resumes one of the participant's tracks; returns false when there is none of that source. */
  async setPaused(source: string, paused: boolean): Promise<boolean> {
    const producer = this.#producers.get(source);

    if (!producer) return false;
    if (paused) await producer.pause();
    else await producer.resume();

    return true;
  }

  isPaused(source: string): boolean | undefined {
    return this.#producers.get(source)?.paused;
  }

  /** Returns false when there is no track of that source. */
  closeProducer(source: string): boolean {
    const producer = this.#producers.get(source);

    if (!producer) return false;
    producer.close();

    return true;
  }

  /** Returns the participant's tracks, by source. */
  producers(): { source: string; producer: types.Producer }[] {
    return [...this.#producers].map(([source, producer]) => ({ source, producer }));
  }

  /**
   * Creates a paused consumer of another participant's track on the receive
   * transport; undefined when the browser cannot decode it or the track is gone.
   */
  async consume(producerId: string, rtpCapabilities: types.RtpCapabilities): Promise<MeetingConsumer | undefined> {
    const transport = this.#transport('recv');
    const track = this.#router.track(producerId);

    if (!transport) throw podiumError('PODIUM_ERR_MEETING_TRACK_NOT_FOUND', 'transport of direction', 'recv');
    if (!track || !this.#router.canConsume(producerId, rtpCapabilities)) return undefined;

    const consumer = await transport.consume({ producerId, rtpCapabilities, paused: true });

    this.#consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => this.#consumers.delete(consumer.id));
    consumer.on('producerclose', () => this.#events.consumerclose(consumer.id));
    consumer.on('layerschange', (layers) => this.#events.layerschange(consumer.id, layers?.spatialLayer ?? null));

    return { id: consumer.id, producerId, peerId: track.peerId, source: track.source, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
  }

  /** Returns false when the participant has no consumer of that id. */
  async resumeConsumer(consumerId: string): Promise<boolean> {
    const consumer = this.#consumers.get(consumerId);

    if (!consumer) return false;
    // The consumer may close (its producer, or the router with its worker) while this request waits.
    await consumer.resume().catch((error: unknown) => {
      if (!consumer.closed) throw error;
    });

    return !consumer.closed;
  }

  /** Sets the highest simulcast layer a video consumer forwards; returns false when there is no such consumer. */
  async setPreferredLayer(consumerId: string, spatialLayer: number): Promise<boolean> {
    const consumer = this.#consumers.get(consumerId);

    if (!consumer) return false;
    if (consumer.type === 'simulcast') await consumer.setPreferredLayers({ spatialLayer, temporalLayer: 2 });

    return true;
  }

  /** Returns the spatial layer each video consumer forwards now, by consumer id (null: none). */
  currentLayers(): Map<string, number | null> {
    return new Map([...this.#consumers].filter(([, consumer]) => consumer.kind === 'video').map(([id, consumer]) => [id, consumer.currentLayers?.spatialLayer ?? null]));
  }

  /** Caps what the receive transport sends this participant, in bits per second (a weak connection in tests). */
  async limitReceiveBitrate(bitsPerSecond: number): Promise<void> {
    await this.#transport('recv')?.setMaxOutgoingBitrate(bitsPerSecond);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const transport of this.#transports.values()) transport.close();
    this.#transports.clear();
  }

  #transport(direction: 'send' | 'recv'): types.WebRtcTransport | undefined {
    return [...this.#transports.values()].find((transport) => transport.appData.direction === direction);
  }
}
