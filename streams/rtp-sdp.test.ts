import { describe, expect, it } from 'vitest';
import { buildReceiveSdp, type SdpMedia } from './rtp-sdp.js';

const video: SdpMedia = {
  kind: 'video',
  rtpPort: 41000,
  rtcpPort: 41001,
  codec: {
    mimeType: 'video/H264',
    payloadType: 102,
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
  },
};

const audio: SdpMedia = {
  kind: 'audio',
  rtpPort: 41002,
  rtcpPort: 41003,
  codec: { mimeType: 'audio/opus', payloadType: 101, clockRate: 48000, channels: 2 },
};

const sdp = buildReceiveSdp([video, audio]);
const lines = sdp.split('\r\n');

describe('buildReceiveSdp session', () => {
  it('ends every line with CRLF', () => {
    expect(sdp.endsWith('\r\n')).toBe(true);
    expect(sdp.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('starts with session lines', () => {
    expect(lines.slice(0, 5)).toEqual([
      'v=0',
      'o=- 0 0 IN IP4 127.0.0.1',
      's=Podium room output',
      'c=IN IP4 127.0.0.1',
      't=0 0',
    ]);
  });

  it('has session lines only without media', () => {
    expect(buildReceiveSdp([]).split('\r\n').filter(Boolean)).toHaveLength(5);
  });
});

describe('buildReceiveSdp H.264 section', () => {
  const section = lines.slice(lines.indexOf('m=video 41000 RTP/AVP 102'), lines.indexOf('m=audio 41002 RTP/AVP 101'));

  it('lists video port and payload', () => {
    expect(section[0]).toBe('m=video 41000 RTP/AVP 102');
  });

  it('gives RTCP port', () => {
    expect(section[1]).toBe('a=rtcp:41001');
  });

  it('maps payload without channels', () => {
    expect(section[2]).toBe('a=rtpmap:102 H264/90000');
  });

  it('joins parameters into fmtp', () => {
    expect(section[3]).toBe('a=fmtp:102 packetization-mode=1;profile-level-id=42e01f');
  });

  it('ends section with recvonly', () => {
    expect(section[4]).toBe('a=recvonly');
    expect(section).toHaveLength(5);
  });
});

describe('buildReceiveSdp Opus section', () => {
  const section = lines.slice(lines.indexOf('m=audio 41002 RTP/AVP 101'), -1);

  it('lists audio port and payload', () => {
    expect(section[0]).toBe('m=audio 41002 RTP/AVP 101');
  });

  it('gives RTCP port', () => {
    expect(section[1]).toBe('a=rtcp:41003');
  });

  it('maps payload with two channels', () => {
    expect(section[2]).toBe('a=rtpmap:101 opus/48000/2');
  });

  it('omits fmtp without parameters', () => {
    expect(section.some((line) => line.startsWith('a=fmtp:'))).toBe(false);
    expect(section).toEqual(['m=audio 41002 RTP/AVP 101', 'a=rtcp:41003', 'a=rtpmap:101 opus/48000/2', 'a=recvonly']);
  });
});

describe('buildReceiveSdp codec details', () => {
  it('omits channels for mono', () => {
    const mono = buildReceiveSdp([{ ...audio, codec: { ...audio.codec, channels: 1 } }]);

    expect(mono).toContain('a=rtpmap:101 opus/48000\r\n');
  });

  it('writes Opus fmtp when given', () => {
    const withFmtp = buildReceiveSdp([{ ...audio, codec: { ...audio.codec, parameters: { useinbandfec: 1 } } }]);

    expect(withFmtp).toContain('a=fmtp:101 useinbandfec=1\r\n');
  });

  it('omits fmtp for empty parameters', () => {
    expect(buildReceiveSdp([{ ...video, codec: { ...video.codec, parameters: {} } }])).not.toContain('a=fmtp:');
  });

  it('keeps media order as given', () => {
    const reversed = buildReceiveSdp([audio, video]).split('\r\n').filter((line) => line.startsWith('m='));

    expect(reversed).toEqual(['m=audio 41002 RTP/AVP 101', 'm=video 41000 RTP/AVP 102']);
  });
});
