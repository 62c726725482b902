import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { SignalingClient } from '../signaling-client.js';

/** What a page publishes, by the source label Podium's program takes it as. */
export type PublishedSource =
  | 'lectern-screen'
  | 'lectern-camera'
  | 'remote-speaker'
  | 'remote-speaker-mic'
  | 'listener-on-stage'
  | 'listener-camera'
  | 'interpreter';

/** Maximum video bitrate by source: slides keep detail, the remote speaker is the picture's main subject. */
const MAX_VIDEO_BITRATE: Partial<Record<PublishedSource, number>> = {
  'lectern-screen': 2_500_000,
  'remote-speaker': 1_500_000,
};
const DEFAULT_VIDEO_BITRATE = 800_000;

/**
 * Returns the browser's H.264 Constrained Baseline codec with packetization
 * mode 1, the only video codec the program's compositor takes.
 */
function h264Codec(device: Device): types.RtpCodecCapability | undefined {
  return device.rtpCapabilities.codecs?.find(
    (codec) =>
      codec.mimeType.toLowerCase() === 'video/h264' &&
      codec.parameters?.['packetization-mode'] === 1 &&
      String(codec.parameters?.['profile-level-id']).startsWith('42e0'),
  );
}

/**
 * Publishes a page's camera, shared screen and microphone into the room
 * over one mediasoup-client send transport: video as H.264, sound as Opus.
 * The server opens send transports only for roles that may publish
 * (speakers, staff, the listener on stage).
 */
export class WebRtcPublisher {
  readonly #signaling: SignalingClient;
  #device: Device | undefined;
  #transport: types.Transport | undefined;
  readonly #producers = new Map<PublishedSource, types.Producer>();

  constructor(signaling: SignalingClient) {
    this.#signaling = signaling;
  }

  /**
   * Opens the send transport. The server keeps both transports of a page
   * together, so the receive side comes first: created here unless the page
   * already receives (receiving: true).
   */
  async start({ receiving = false } = {}): Promise<void> {
    const device = new Device();
    const { rtpCapabilities } = (await this.#signaling.request('getRouterRtpCapabilities', {})) as {
      rtpCapabilities: types.RtpCapabilities;
    };

    await device.load({ routerRtpCapabilities: rtpCapabilities });
    if (!receiving) await this.#signaling.request('createRecvTransport', {});

    const options = (await this.#signaling.request('createSendTransport', {})) as Parameters<Device['createSendTransport']>[0];
    const transport = device.createSendTransport(options);

    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#signaling.request('connectSendTransport', { dtlsParameters }).then(() => callback(), errback);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      this.#signaling
        .request('produce', { kind, rtpParameters, source: String(appData.source) })
        .then((id) => callback({ id: String(id) }), errback);
    });
    this.#device = device;
    this.#transport = transport;
  }

  get started(): boolean {
    return this.#transport !== undefined;
  }

  /**
   * Publishes a track under a source label, replacing an earlier one. Video
   * goes as H.264 at the source's bitrate, sound as mono Opus.
   */
  async publish(source: PublishedSource, track: MediaStreamTrack): Promise<void> {
    const device = this.#device;
    const transport = this.#transport;

    if (!device || !transport) throw new Error('publisher not started');
    await this.stop(source);

    let producer: types.Producer;

    // The track outlives its producer when the transport closes (detach()); stop() and close() end it.
    if (track.kind === 'audio') {
      producer = await transport.produce({
        track,
        codecOptions: { opusStereo: false, opusDtx: false },
        stopTracks: false,
        appData: { source },
      });
    } else {
      const codec = h264Codec(device);

      if (!codec) throw new Error('this browser cannot send H.264, which the program needs');
      producer = await transport.produce({
        track,
        codec,
        encodings: [{ maxBitrate: MAX_VIDEO_BITRATE[source] ?? DEFAULT_VIDEO_BITRATE }],
        codecOptions: { videoGoogleStartBitrate: 1000 },
        stopTracks: false,
        appData: { source },
      });
    }

    this.#producers.set(source, producer);
    track.addEventListener('ended', () => void this.stop(source));
  }

  /** Ends a published source here and in the room. */
  async stop(source: PublishedSource): Promise<void> {
    const producer = this.#producers.get(source);

    if (!producer) return;
    this.#producers.delete(source);
    producer.track?.stop();
    producer.close();
    await this.#signaling.request('stopProducing', { source }).catch(() => undefined);
  }

  /** Ends every published source, and keeps the transport for the next. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#producers.keys()].map((source) => this.stop(source)));
  }

  isPublishing(source: PublishedSource): boolean {
    return this.#producers.has(source);
  }

  /**
   * Closes the send transport and its producers but keeps their tracks
   * running, and returns them by source, for publishing them again on a new
   * transport (after Podium rebuilt the room on a new media worker).
   */
  detach(): Map<PublishedSource, MediaStreamTrack> {
    const tracks = new Map<PublishedSource, MediaStreamTrack>();

    for (const [source, producer] of this.#producers) {
      if (producer.track?.readyState === 'live') tracks.set(source, producer.track);
      producer.close();
    }
    this.#producers.clear();
    this.#transport?.close();
    this.#transport = undefined;

    return tracks;
  }

  close(): void {
    for (const producer of this.#producers.values()) {
      producer.track?.stop();
      producer.close();
    }
    this.#producers.clear();
    this.#transport?.close();
    this.#transport = undefined;
  }
}
