import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { SignalingClient } from '../signaling-client.js';

/** What a page publishes, by the source label Podium's program takes it as. */
export type PublishedSource = 'lectern-screen' | 'lectern-camera';

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
 * Publishes a page's camera and shared screen into the room over one
 * mediasoup-client send transport, as H.264. The server opens send
 * transports only for roles that may publish (speakers, staff).
 */
export class WebRtcPublisher {
  readonly #signaling: SignalingClient;
  #device: Device | undefined;
  #transport: types.Transport | undefined;
  readonly #producers = new Map<PublishedSource, types.Producer>();

  constructor(signaling: SignalingClient) {
    this.#signaling = signaling;
  }

  /** Opens the send transport; the server needs the page's receive side first. */
  async start(): Promise<void> {
    const device = new Device();
    const { rtpCapabilities } = (await this.#signaling.request('getRouterRtpCapabilities', {})) as {
      rtpCapabilities: types.RtpCapabilities;
    };

    await device.load({ routerRtpCapabilities: rtpCapabilities });
    await this.#signaling.request('createRecvTransport', {});

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
   * Publishes a video track under a source label, replacing an earlier one.
   * Slides go at a low frame rate with detail kept; a camera at its rate.
   */
  async publish(source: PublishedSource, track: MediaStreamTrack): Promise<void> {
    const device = this.#device;
    const transport = this.#transport;

    if (!device || !transport) throw new Error('publisher not started');

    const codec = h264Codec(device);

    if (!codec) throw new Error('this browser cannot send H.264, which the program needs');
    await this.stop(source);

    const slides = source === 'lectern-screen';
    const producer = await transport.produce({
      track,
      codec,
      encodings: [{ maxBitrate: slides ? 2_500_000 : 800_000 }],
      codecOptions: { videoGoogleStartBitrate: 1000 },
      appData: { source },
    });

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

  isPublishing(source: PublishedSource): boolean {
    return this.#producers.has(source);
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
