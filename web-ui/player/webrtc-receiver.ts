import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { SignalingClient } from '../signaling-client.js';

type ConsumerOptions = {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: types.RtpParameters;
};

/** Bytes received so far, per kind. */
export type ReceiveStats = { audioBytes: number; videoBytes: number };

/** True when this browser can make WebRTC peer connections at all. */
export function webRtcAvailable(): boolean {
  return typeof RTCPeerConnection === 'function';
}

/**
 * Receives the room over one mediasoup-client receive transport. ICE tries
 * the server's UDP candidate first and its TCP candidate next, and relays
 * through the TURN servers (with expiring credentials) that the transport
 * options carry as iceServers when Podium has TURN configured. connected()
 * resolves when media can flow, and rejects when ICE fails or times out.
 */
export class WebRtcReceiver {
  readonly #signaling: SignalingClient;
  #transport: types.Transport | undefined;
  #device: Device | undefined;
  #consumers: types.Consumer[] = [];

  constructor(signaling: SignalingClient) {
    this.#signaling = signaling;
  }

  /** Sets up the transport and consumers; returns the stream to play. */
  async start(): Promise<MediaStream> {
    const device = new Device();
    const { rtpCapabilities } = (await this.#signaling.request('getRouterRtpCapabilities', {})) as {
      rtpCapabilities: types.RtpCapabilities;
    };

    await device.load({ routerRtpCapabilities: rtpCapabilities });
    this.#device = device;

    const options = (await this.#signaling.request('createRecvTransport', {})) as Parameters<
      Device['createRecvTransport']
    >[0];
    const transport = device.createRecvTransport(options);

    this.#transport = transport;
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#signaling.request('connectTransport', { dtlsParameters }).then(() => callback(), errback);
    });

    const { consumers } = (await this.#signaling.request('consume', {
      rtpCapabilities: device.recvRtpCapabilities,
    })) as { consumers: ConsumerOptions[] };
    const stream = new MediaStream();

    for (const options of consumers) {
      const consumer = await transport.consume(options);

      this.#consumers.push(consumer);
      stream.addTrack(consumer.track);
      // The server sends nothing until the consumer is resumed, so resume
      // before the page waits for playback.
      await this.#signaling.request('resumeConsumer', { consumerId: consumer.id });
    }

    return stream;
  }

  /**
   * Consumes a source again after the server replaced its producer (a
   * restarted capture), and returns a stream with the new track in place of
   * the old one of the same kind.
   */
  async replaceSource(source: string): Promise<MediaStream> {
    const transport = this.#transport;
    const device = this.#device;

    if (!transport || !device) throw new Error('receiver not started');

    const { consumers } = (await this.#signaling.request('consume', {
      rtpCapabilities: device.recvRtpCapabilities,
      sources: [source],
    })) as { consumers: ConsumerOptions[] };

    for (const options of consumers) {
      const consumer = await transport.consume(options);

      for (const old of this.#consumers.filter((entry) => entry.kind === consumer.kind)) old.close();
      this.#consumers = [...this.#consumers.filter((entry) => entry.kind !== consumer.kind), consumer];
      await this.#signaling.request('resumeConsumer', { consumerId: consumer.id });
    }

    return new MediaStream(this.#consumers.map((consumer) => consumer.track));
  }

  /** Resolves once the transport is connected; rejects on failure or after timeoutMs. */
  connected(timeoutMs: number): Promise<void> {
    const transport = this.#transport;

    if (!transport) return Promise.reject(new Error('receiver not started'));
    if (transport.connectionState === 'connected') return Promise.resolve();

    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no WebRTC connection within ${timeoutMs} ms`)), timeoutMs);

      transport.on('connectionstatechange', (state) => {
        if (state === 'connected') {
          clearTimeout(timer);
          resolve();
        } else if (state === 'failed' || state === 'closed') {
          clearTimeout(timer);
          reject(new Error(`WebRTC connection ${state}`));
        }
      });
    });
  }

  async stats(): Promise<ReceiveStats> {
    const result: ReceiveStats = { audioBytes: 0, videoBytes: 0 };

    if (!this.#transport) return result;

    const report = await this.#transport.getStats();

    report.forEach((entry: { type: string; kind?: string; bytesReceived?: number }) => {
      if (entry.type !== 'inbound-rtp') return;
      if (entry.kind === 'audio') result.audioBytes += entry.bytesReceived ?? 0;
      if (entry.kind === 'video') result.videoBytes += entry.bytesReceived ?? 0;
    });

    return result;
  }

  close(): void {
    for (const consumer of this.#consumers) consumer.close();
    this.#consumers = [];
    this.#transport?.close();
    this.#transport = undefined;
  }
}
