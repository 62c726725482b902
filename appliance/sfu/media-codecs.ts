import type { types } from 'mediasoup';

/** H.264 Constrained Baseline, level 3.1: decodable by every WebRTC browser. */
export const H264_PROFILE_LEVEL_ID = '42e01f';

/**
 * Codecs of every room's router. H.264 comes first so that one H.264 encode
 * serves WebRTC viewers and the HLS restream; VP8 is there for browser
 * publishers that lack H.264.
 */
export const roomMediaCodecs: types.RtpCodecCapability[] = [
  {
    kind: 'audio',
    mimeType: 'audio/opus',
    clockRate: 48000,
    channels: 2,
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': H264_PROFILE_LEVEL_ID,
      'level-asymmetry-allowed': 1,
    },
  },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    clockRate: 90000,
  },
];
