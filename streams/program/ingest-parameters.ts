import { randomInt } from 'node:crypto';
import type { types } from 'mediasoup';
import { AUDIO_PAYLOAD_TYPE, VIDEO_PAYLOAD_TYPE, profileLevelId, type H264Level } from '../../capture/venue-source-args.js';

/** Returns the parameters of H.264 Constrained Baseline at a level, with a new SSRC, that a local ffmpeg sends into the room. */
export function h264Ingest(level: H264Level): { ssrc: number; payloadType: number; rtpParameters: types.RtpParameters } {
  const ssrc = randomInt(1, 2 ** 31);

  return {
    ssrc,
    payloadType: VIDEO_PAYLOAD_TYPE,
    rtpParameters: {
      codecs: [
        {
          mimeType: 'video/H264',
          payloadType: VIDEO_PAYLOAD_TYPE,
          clockRate: 90000,
          parameters: { 'packetization-mode': 1, 'profile-level-id': profileLevelId(level) },
        },
      ],
      encodings: [{ ssrc }],
    },
  };
}

/** Returns the parameters of VP8, with a new SSRC, that a local ffmpeg sends into the room. */
export function vp8Ingest(): { ssrc: number; payloadType: number; rtpParameters: types.RtpParameters } {
  const ssrc = randomInt(1, 2 ** 31);

  return {
    ssrc,
    payloadType: VIDEO_PAYLOAD_TYPE,
    rtpParameters: {
      codecs: [{ mimeType: 'video/VP8', payloadType: VIDEO_PAYLOAD_TYPE, clockRate: 90000 }],
      encodings: [{ ssrc }],
    },
  };
}

/** Returns the parameters of stereo Opus at 48 kHz, with a new SSRC, that a local ffmpeg sends into the room. */
export function opusIngest(): { ssrc: number; payloadType: number; rtpParameters: types.RtpParameters } {
  const ssrc = randomInt(1, 2 ** 31);

  return {
    ssrc,
    payloadType: AUDIO_PAYLOAD_TYPE,
    rtpParameters: {
      codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO_PAYLOAD_TYPE, clockRate: 48000, channels: 2 }],
      encodings: [{ ssrc }],
    },
  };
}
