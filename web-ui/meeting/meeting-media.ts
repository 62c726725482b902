import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type {
  MeetingConsumerOptions,
  MeetingSource,
  TransportOptions,
} from '../../appliance/meetings/meeting-protocol.js';
import type { MeetingSignaling } from './meeting-signaling.js';

/**
 * The camera's simulcast encodings at 640x360: a low layer at half the
 * size for thumbnails and the full size for the large tile. Receivers get
 * the layer their bandwidth allows, so a weak connection costs only itself.
 */
const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 2, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 700_000 },
];
/** A shared screen goes as one encoding, with the bitrate for sharp text. */
const SCREEN_MAX_BITRATE = 1_500_000;

/**
 * A track the page receives, with the participant and source it comes
 * from. spatialLayer: the simulcast layer the server sends now (null while
 * it sends none, undefined before its first consumerLayers notification).
 */
export type ReceivedTrack = {
  peerId: string;
  source: MeetingSource;
  kind: 'audio' | 'video';
  track: MediaStreamTrack;
  spatialLayer?: number | null;
};

/** preferredLayer: the layer the page last requested. */
type Received = ReceivedTrack & { consumer: types.Consumer; preferredLayer: number | undefined };

/**
 * The meeting page's media over mediasoup-client: one receive transport
 * with a consumer per producer of the others, and one send transport with
 * the page's camera (VP8 simulcast), microphone (Opus) and shared screen.
 * After the media worker failed, detach() keeps the page's tracks running
 * for a new MeetingMedia to publish again.
 */
export class MeetingMedia {
  readonly #signaling: MeetingSignaling;
  readonly #device = new Device();
  #sendTransport: types.Transport | undefined;
  #recvTransport: types.Transport | undefined;
  readonly #producers = new Map<MeetingSource, types.Producer>();
  /** Received tracks by producer id. */
  readonly #received = new Map<string, Received>();
  /** Producer ids being consumed now, so that two snapshots in a row consume each once. */
  readonly #consuming = new Set<string>();

  constructor(signaling: MeetingSignaling) {
    this.#signaling = signaling;
  }

  /** Loads the router's capabilities and opens the receive transport, then the send transport. */
  async start(routerRtpCapabilities: types.RtpCapabilities): Promise<void> {
    await this.#device.load({ routerRtpCapabilities });
    this.#recvTransport = this.#device.createRecvTransport(await this.#transportOptions('recv'));
    this.#onConnect(this.#recvTransport);
    this.#sendTransport = this.#device.createSendTransport(await this.#transportOptions('send'));
    this.#onConnect(this.#sendTransport);
    this.#sendTransport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      const source = appData.source as MeetingSource;

      this.#signaling
        .request('produce', { kind, source, rtpParameters: rtpParameters as { codecs: unknown[] } })
        .then((data) => callback({ id: (data as { producerId: string }).producerId }), errback);
    });
  }

  async #transportOptions(direction: 'send' | 'recv'): Promise<types.TransportOptions> {
    const options = (await this.#signaling.request('createTransport', { direction })) as TransportOptions;

    return options as unknown as types.TransportOptions;
  }

  #onConnect(transport: types.Transport): void {
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#signaling.request('connectTransport', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
    });
  }

  /**
   * Publishes a track as a source, replacing an earlier one: the camera as
   * VP8 with two simulcast layers, a screen as one encoding, the microphone
   * as Opus. paused: publish muted (the microphone switched off before).
   */
  async publish(source: MeetingSource, track: MediaStreamTrack, paused = false): Promise<void> {
    const transport = this.#sendTransport;

    if (!transport) throw new Error('meeting media not started');
    await this.stop(source);

    const options: types.ProducerOptions = { track, stopTracks: false, zeroRtpOnPause: true, disableTrackOnPause: true, appData: { source } };

    if (source === 'camera') {
      const vp8 = this.#device.rtpCapabilities.codecs?.find((codec) => codec.mimeType.toLowerCase() === 'video/vp8');

      Object.assign(options, { codec: vp8, encodings: CAMERA_ENCODINGS, codecOptions: { videoGoogleStartBitrate: 1000 } });
    } else if (source === 'screen') {
      Object.assign(options, { encodings: [{ maxBitrate: SCREEN_MAX_BITRATE }] });
    } else {
      Object.assign(options, { codecOptions: { opusStereo: false, opusDtx: true } });
    }

    const producer = await transport.produce(options);

    this.#producers.set(source, producer);
    if (paused) await this.setMuted(source, true);
  }

  /** Ends a published source here and in the meeting, and stops its track. */
  async stop(source: MeetingSource): Promise<void> {
    const producer = this.#producers.get(source);

    if (!producer) return;
    this.#producers.delete(source);
    producer.track?.stop();
    producer.close();
    await this.#signaling.request('closeProducer', { source }).catch(() => undefined);
  }

  isPublishing(source: MeetingSource): boolean {
    return this.#producers.has(source);
  }

  /** Returns the track the page publishes as a source, if any. */
  track(source: MeetingSource): MediaStreamTrack | undefined {
    return this.#producers.get(source)?.track ?? undefined;
  }

  /** Mutes or unmutes a published source here (no packets leave) and in the meeting (others see it muted). */
  async setMuted(source: MeetingSource, muted: boolean): Promise<void> {
    const producer = this.#producers.get(source);

    if (!producer) return;
    if (muted) producer.pause();
    else producer.resume();
    await this.#signaling.request('setMuted', { source, muted });
  }

  /** Marks a source as muted here after a moderator muted it in the meeting. */
  pauseLocally(source: MeetingSource): void {
    this.#producers.get(source)?.pause();
  }

  /** Consumes a producer of another participant once and resumes it; returns its track. */
  async consume(producerId: string): Promise<ReceivedTrack | undefined> {
    const transport = this.#recvTransport;

    if (!transport || this.#received.has(producerId) || this.#consuming.has(producerId)) return undefined;
    this.#consuming.add(producerId);
    try {
      const options = (await this.#signaling.request('consume', {
        producerId,
        rtpCapabilities: this.#device.recvRtpCapabilities as { codecs?: unknown[] },
      })) as MeetingConsumerOptions;
      const consumer = await transport.consume({
        id: options.id,
        producerId: options.producerId,
        kind: options.kind,
        rtpParameters: options.rtpParameters as types.RtpParameters,
        appData: { peerId: options.peerId, source: options.source },
      });
      const received: Received = {
        peerId: options.peerId,
        source: options.source,
        kind: options.kind,
        track: consumer.track,
        consumer,
        preferredLayer: undefined,
      };

      this.#received.set(producerId, received);
      await this.#signaling.request('resumeConsumer', { consumerId: consumer.id });

      return received;
    } finally {
      this.#consuming.delete(producerId);
    }
  }

  /** Closes the consumers of producers that are gone from the meeting (not among the live ids). */
  dropExcept(liveProducerIds: ReadonlySet<string>): void {
    for (const [producerId, received] of this.#received) {
      if (liveProducerIds.has(producerId)) continue;
      received.consumer.close();
      this.#received.delete(producerId);
    }
  }

  /** Closes a consumer that the server closed. */
  dropConsumer(consumerId: string): void {
    for (const [producerId, received] of this.#received) {
      if (received.consumer.id !== consumerId) continue;
      received.consumer.close();
      this.#received.delete(producerId);
    }
  }

  /** Asks for a simulcast layer of a received video, unless it was asked already. */
  async setPreferredLayer(producerId: string, spatialLayer: number): Promise<void> {
    const received = this.#received.get(producerId);

    if (!received || received.kind !== 'video' || received.preferredLayer === spatialLayer) return;
    received.preferredLayer = spatialLayer;
    await this.#signaling.request('setPreferredLayer', { consumerId: received.consumer.id, spatialLayer });
  }

  /** Records the simulcast layer the server sends now on a consumer. */
  setSpatialLayer(consumerId: string, spatialLayer: number | null): void {
    for (const received of this.#received.values()) {
      if (received.consumer.id === consumerId) received.spatialLayer = spatialLayer;
    }
  }

  /** Returns the received track of a producer, if consumed. */
  receivedTrack(producerId: string): MediaStreamTrack | undefined {
    return this.#received.get(producerId)?.track;
  }

  /** Returns every track the page receives now, with the participant and source it comes from. */
  receivedTracks(): ReceivedTrack[] {
    return [...this.#received.values()].map(({ peerId, source, kind, track, spatialLayer }) => ({ peerId, source, kind, track, spatialLayer }));
  }

  /**
   * Closes the transports (their media worker failed, or the connection
   * dropped) and returns the published tracks by source, which keep running,
   * with whether each was muted.
   */
  detach(): Map<MeetingSource, { track: MediaStreamTrack; muted: boolean }> {
    const tracks = new Map<MeetingSource, { track: MediaStreamTrack; muted: boolean }>();

    for (const [source, producer] of this.#producers) {
      if (producer.track?.readyState === 'live') tracks.set(source, { track: producer.track, muted: producer.paused });
      producer.close();
    }
    this.#producers.clear();
    this.#closeTransports();

    return tracks;
  }

  /** Ends everything, the page's own tracks included. */
  close(): void {
    for (const producer of this.#producers.values()) {
      producer.track?.stop();
      producer.close();
    }
    this.#producers.clear();
    this.#closeTransports();
  }

  #closeTransports(): void {
    for (const received of this.#received.values()) received.consumer.close();
    this.#received.clear();
    this.#sendTransport?.close();
    this.#recvTransport?.close();
    this.#sendTransport = undefined;
    this.#recvTransport = undefined;
  }
}
