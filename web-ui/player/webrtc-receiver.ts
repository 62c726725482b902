import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { SignalingClient } from '../signaling-client.js';

type ConsumerOptions = {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: types.RtpParameters;
  source: string;
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
  /** Consumers outside the main stream (a speaker's return), by source. */
  readonly #extra = new Map<string, types.Consumer>();

  constructor(signaling: SignalingClient) {
    this.#signaling = signaling;
  }

  /**
   * Sets up the transport and consumers; returns the stream to play.
   * sources: what to consume, the watch sources when absent; an empty list
   * opens the transport only.
   */
  async start(sources?: string[]): Promise<MediaStream> {
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

    const stream = new MediaStream();

    if (sources?.length === 0) return stream;

    const { consumers } = (await this.#signaling.request('consume', {
      rtpCapabilities: device.recvRtpCapabilities,
      ...(sources ? { sources } : {}),
    })) as { consumers: ConsumerOptions[] };

    for (const options of consumers) {
      const consumer = await consumeOne(transport, options);

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
   * the old one of the same kind. Of several sources, Podium sends those
   * the page may receive.
   */
  async replaceSource(source: string | string[]): Promise<MediaStream> {
    const transport = this.#transport;
    const device = this.#device;

    if (!transport || !device) throw new Error('receiver not started');

    const { consumers } = (await this.#signaling.request('consume', {
      rtpCapabilities: device.recvRtpCapabilities,
      sources: Array.isArray(source) ? source : [source],
    })) as { consumers: ConsumerOptions[] };

    for (const options of consumers) {
      const consumer = await consumeOne(transport, options);

      for (const old of this.#consumers.filter((entry) => entry.kind === consumer.kind)) old.close();
      this.#consumers = [...this.#consumers.filter((entry) => entry.kind !== consumer.kind), consumer];
      await this.#signaling.request('resumeConsumer', { consumerId: consumer.id });
    }

    return new MediaStream(this.#consumers.map((consumer) => consumer.track));
  }

  /**
   * Consumes sources outside the main stream, replacing earlier consumers of
   * the same sources, and returns their tracks. Sources the room lacks now
   * are skipped; Podium announces them with producerReplaced when they come.
   */
  async consumeExtra(sources: string[]): Promise<{ source: string; track: MediaStreamTrack }[]> {
    const transport = this.#transport;
    const device = this.#device;

    if (!transport || !device) throw new Error('receiver not started');

    const { consumers } = (await this.#signaling.request('consume', {
      rtpCapabilities: device.recvRtpCapabilities,
      sources,
    })) as { consumers: ConsumerOptions[] };
    const tracks: { source: string; track: MediaStreamTrack }[] = [];

    for (const options of consumers) {
      const consumer = await consumeOne(transport, options);

      this.#extra.get(options.source)?.close();
      this.#extra.set(options.source, consumer);
      tracks.push({ source: options.source, track: consumer.track });
      await this.#signaling.request('resumeConsumer', { consumerId: consumer.id });
    }

    return tracks;
  }

  /** Every track received now, main stream and the others, with its source. */
  receivedTracks(): { source: string; track: MediaStreamTrack }[] {
    return [...this.#consumers, ...this.#extra.values()].map((consumer) => ({
      source: String(consumer.appData.source),
      track: consumer.track,
    }));
  }

  /** Ends consumers outside the main stream (those of the given sources, else all), here and in the room. */
  async closeExtra(sources: readonly string[] = [...this.#extra.keys()]): Promise<void> {
    const closing = sources.filter((source) => this.#extra.has(source));

    for (const source of closing) {
      this.#extra.get(source)!.close();
      this.#extra.delete(source);
    }
    await Promise.all(closing.map((source) => this.#stopConsuming(source)));
  }

  /**
   * Ends the main stream's consumers of one kind (such as the program sound
   * while the listener is on stage), here and in the room, and returns the
   * stream without them.
   */
  async dropKind(kind: 'audio' | 'video'): Promise<MediaStream> {
    const dropped = this.#consumers.filter((consumer) => consumer.kind === kind);

    this.#consumers = this.#consumers.filter((consumer) => consumer.kind !== kind);
    for (const consumer of dropped) consumer.close();
    await Promise.all(dropped.map((consumer) => this.#stopConsuming(String(consumer.appData.source))));

    return new MediaStream(this.#consumers.map((consumer) => consumer.track));
  }

  async #stopConsuming(source: string): Promise<void> {
    await this.#signaling.request('stopConsuming', { source }).catch(() => undefined);
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
    for (const consumer of [...this.#consumers, ...this.#extra.values()]) consumer.close();
    this.#consumers = [];
    this.#extra.clear();
    this.#transport?.close();
    this.#transport = undefined;
  }
}

/** Creates the browser side of one consumer, with its source label in appData. */
function consumeOne(transport: types.Transport, options: ConsumerOptions): Promise<types.Consumer> {
  const { id, producerId, kind, rtpParameters, source } = options;

  return transport.consume({ id, producerId, kind, rtpParameters, appData: { source } });
}
