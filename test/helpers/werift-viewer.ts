import { randomUUID } from 'node:crypto';
import { RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import { TestSignaling } from './signaling-client.js';

type ServerCandidate = { foundation: string; priority: number; ip: string; port: number; protocol: 'udp' | 'tcp'; type: string };

type TransportOptions = {
  id: string;
  iceParameters: { usernameFragment: string; password: string };
  iceCandidates: ServerCandidate[];
  dtlsParameters: { fingerprints: { algorithm: string; value: string }[] };
};

type CodecParameters = {
  mimeType: string;
  payloadType: number;
  clockRate: number;
  channels?: number;
  parameters?: Record<string, string | number>;
  rtcpFeedback?: { type: string; parameter?: string }[];
};

type ConsumerOptions = {
  id: string;
  kind: 'audio' | 'video';
  rtpParameters: {
    mid?: string;
    codecs: CodecParameters[];
    encodings: { ssrc: number }[];
    rtcp?: { cname?: string };
  };
};

/** Packets one viewer has received, per kind. */
export type ReceivedPackets = { audio: number; video: number };

/** The only codecs a werift viewer accepts: the room's Opus and H.264. */
const VIEWER_CODECS = {
  audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
  video: [
    new RTCRtpCodecParameters({
      mimeType: 'video/H264',
      clockRate: 90000,
      rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
      parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
    }),
  ],
};

/**
 * A listener that receives the event over WebRTC without rendering it: the
 * watch page's signaling, and a werift peer connection that counts the RTP
 * packets of what a watch page plays: the program's video and audio, or the
 * venue camera and microphone before the program exists. It speaks to Podium like
 * mediasoup-client does: Podium's transport is the offer, werift answers as
 * the DTLS client. For load tests and benchmarks on loopback.
 */
export class WeriftViewer {
  readonly received: ReceivedPackets = { audio: 0, video: 0 };
  readonly #signaling: TestSignaling;
  readonly #peer: RTCPeerConnection;

  private constructor(signaling: TestSignaling, peer: RTCPeerConnection) {
    this.#signaling = signaling;
    this.#peer = peer;
  }

  /** Joins the live event at baseUrl (plain HTTP on loopback) and starts receiving. */
  static async join(baseUrl: string): Promise<WeriftViewer> {
    const signaling = await TestSignaling.connect(baseUrl);
    const peer = new RTCPeerConnection({
      codecs: VIEWER_CODECS,
      iceInterfaceAddresses: { udp4: '127.0.0.1' },
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceUseIpv6: false,
    });
    const viewer = new WeriftViewer(signaling, peer);

    try {
      await viewer.#start();
    } catch (error) {
      viewer.close();
      throw error;
    }

    return viewer;
  }

  async #start(): Promise<void> {
    await this.#request('join', { page: 'watch' });

    const { rtpCapabilities } = await this.#request('getRouterRtpCapabilities');
    const transport = (await this.#request('createRecvTransport')) as TransportOptions;
    const { consumers } = (await this.#request('consume', { rtpCapabilities: viewerCapabilities(rtpCapabilities) })) as {
      consumers: ConsumerOptions[];
    };

    if (consumers.length === 0) throw new Error('the room offered no consumers; is the event live?');

    this.#peer.onTrack.subscribe((track) => {
      const kind = track.kind as 'audio' | 'video';

      track.onReceiveRtp.subscribe(() => this.received[kind]++);
    });
    await this.#peer.setRemoteDescription({ type: 'offer', sdp: offerSdp(transport, consumers) });

    const answer = await this.#peer.createAnswer();

    await this.#peer.setLocalDescription(answer);
    await this.#request('connectTransport', { dtlsParameters: dtlsParametersOf(answer.sdp) });
    for (const consumer of consumers) await this.#request('resumeConsumer', { consumerId: consumer.id });
  }

  async #request(type: string, data: object = {}): Promise<any> {
    const response = await this.#signaling.request(type, data);

    if (!response.ok) throw new Error(`${type} failed: ${response.error?.code} ${response.error?.message}`);

    return response.data;
  }

  /** Closes the peer connection and the signaling socket; Podium then closes the viewer. */
  close(): void {
    void this.#peer.close().catch(() => undefined);
    this.#signaling.close();
  }
}

/** Returns the router's Opus and H.264 codecs, without RTX and header extensions, as this client's capabilities. */
function viewerCapabilities(router: { codecs: (CodecParameters & { kind: string; preferredPayloadType: number })[] }): object {
  const codecs = router.codecs
    .filter((codec) => ['audio/opus', 'video/h264'].includes(codec.mimeType.toLowerCase()))
    .map((codec) => ({
      ...codec,
      rtcpFeedback: codec.kind === 'video' ? [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] : [],
    }));

  return { codecs, headerExtensions: [] };
}

/** Writes the SDP offer of Podium's side: ICE lite, its UDP candidates, and one send-only section per consumer. */
function offerSdp(transport: TransportOptions, consumers: ConsumerOptions[]): string {
  const fingerprint = transport.dtlsParameters.fingerprints.find((entry) => entry.algorithm === 'sha-256')
    ?? transport.dtlsParameters.fingerprints[0]!;
  const mids = consumers.map((consumer, index) => consumer.rtpParameters.mid ?? String(index));
  const lines = [
    'v=0',
    `o=- ${Date.now()} 1 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${mids.join(' ')}`,
    'a=msid-semantic: WMS *',
  ];

  consumers.forEach((consumer, index) => {
    const codec = consumer.rtpParameters.codecs[0]!;
    const ssrc = consumer.rtpParameters.encodings[0]!.ssrc;
    const cname = consumer.rtpParameters.rtcp?.cname ?? 'podium';
    const codecName = codec.mimeType.split('/')[1];
    const channels = codec.channels && codec.channels > 1 ? `/${codec.channels}` : '';
    const fmtp = Object.entries(codec.parameters ?? {}).map(([key, value]) => `${key}=${value}`).join(';');

    lines.push(
      `m=${consumer.kind} 7 UDP/TLS/RTP/SAVPF ${codec.payloadType}`,
      'c=IN IP4 127.0.0.1',
      `a=mid:${mids[index]}`,
      'a=sendonly',
      `a=ice-ufrag:${transport.iceParameters.usernameFragment}`,
      `a=ice-pwd:${transport.iceParameters.password}`,
      `a=fingerprint:${fingerprint.algorithm} ${fingerprint.value}`,
      'a=setup:actpass',
      'a=rtcp-mux',
      'a=rtcp-rsize',
      `a=rtpmap:${codec.payloadType} ${codecName}/${codec.clockRate}${channels}`,
    );
    if (fmtp) lines.push(`a=fmtp:${codec.payloadType} ${fmtp}`);
    for (const feedback of codec.rtcpFeedback ?? []) {
      lines.push(`a=rtcp-fb:${codec.payloadType} ${feedback.type}${feedback.parameter ? ` ${feedback.parameter}` : ''}`);
    }
    lines.push(`a=ssrc:${ssrc} cname:${cname}`, `a=msid:podium ${randomUUID()}`);
    for (const candidate of transport.iceCandidates.filter((entry) => entry.protocol === 'udp')) {
      lines.push(
        `a=candidate:${candidate.foundation} 1 udp ${candidate.priority} ${candidate.ip} ${candidate.port} typ ${candidate.type}`,
      );
    }
    lines.push('a=end-of-candidates');
  });

  return `${lines.join('\r\n')}\r\n`;
}

/** Returns the DTLS parameters of werift's SDP answer: its fingerprint, and the client role it takes (setup:active). */
function dtlsParametersOf(sdp: string): object {
  const match = /a=fingerprint:(\S+) (\S+)/.exec(sdp);

  if (!match) throw new Error('the werift answer has no DTLS fingerprint');

  const setup = /a=setup:(\S+)/.exec(sdp)?.[1];

  return { role: setup === 'passive' ? 'server' : 'client', fingerprints: [{ algorithm: match[1], value: match[2] }] };
}
