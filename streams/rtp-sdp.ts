/** The parts of a mediasoup consumer's RTP parameters an SDP needs. */
export type SdpCodec = {
  mimeType: string;
  payloadType: number;
  clockRate: number;
  channels?: number;
  parameters?: Record<string, unknown>;
};

export type SdpMedia = {
  kind: 'audio' | 'video';
  rtpPort: number;
  rtcpPort: number;
  codec: SdpCodec;
};

/**
 * Builds a receive-only SDP that describes for ffmpeg where the room sends each
 * stream and how to depacketize it.
 */
export function buildReceiveSdp(media: SdpMedia[]): string {
  const lines = [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=Podium room output',
    'c=IN IP4 127.0.0.1',
    't=0 0',
  ];

  for (const { kind, rtpPort, rtcpPort, codec } of media) {
    const encoding = codec.mimeType.split('/')[1];
    const channels = codec.channels && codec.channels > 1 ? `/${codec.channels}` : '';
    const fmtp = Object.entries(codec.parameters ?? {})
      .map(([name, value]) => `${name}=${String(value)}`)
      .join(';');

    lines.push(`m=${kind} ${rtpPort} RTP/AVP ${codec.payloadType}`);
    lines.push(`a=rtcp:${rtcpPort}`);
    lines.push(`a=rtpmap:${codec.payloadType} ${encoding}/${codec.clockRate}${channels}`);
    if (fmtp) lines.push(`a=fmtp:${codec.payloadType} ${fmtp}`);
    lines.push('a=recvonly');
  }

  return `${lines.join('\r\n')}\r\n`;
}
