import { join } from 'node:path';
import Ffmpeg from 'fluent-ffmpeg';
import { ffmpegArguments } from '../../appliance/process/ffmpeg.js';

/** Segment length of the HLS restream, in seconds; the capture puts a keyframe at every second. */
export const HLS_SEGMENT_SECONDS = 1;

export const HLS_PLAYLIST_NAME = 'index.m3u8';

/**
 * Audio filter of the packager. The capture has already resampled the
 * microphone to the wall clock, so the packager keeps the samples as they
 * come and follows the audio timestamps only slowly (async: at most 100
 * samples a second, 0.2%). Those timestamps come from mediasoup's sender
 * reports (3.12), which are sent for audio about every 5 s and each map the
 * newest packet to the time the worker received it. A packet that arrived
 * late shifts the mapping by its delay until the next report, and following
 * that at once put the sound hundreds of ms off on a busy machine. Jumps over
 * 0.5 s (min_hard_comp), such as a restarted capture, are filled with
 * silence or cut at once. The output starts at the first audio timestamp,
 * which lines it up with the video.
 */
export const HLS_AUDIO_FILTER = 'aresample=async=100:min_hard_comp=0.5';

export type HlsArgsInput = {
  sdpPath: string;
  outputDir: string;
  aacBitrateKbps: number;
  playlistSegments: number;
};

/**
 * Builds the HLS packager command: it reads the room's H.264 and Opus over
 * RTP (described by an SDP file), copies the H.264 as it is (no second video
 * encode), encodes AAC at 48 kHz once, and writes 1 s MPEG-TS segments. The
 * playlist is replaced atomically (temp_file), so readers never see half of it.
 */
export function buildHlsArgs(input: HlsArgsInput): string[] {
  const command = Ffmpeg()
    .input(input.sdpPath)
    .inputFormat('sdp')
    .inputOptions([
      '-protocol_whitelist', 'file,udp,rtp',
      '-buffer_size', String(4 * 1024 * 1024),
      '-analyzeduration', '3000000',
      '-fflags', '+genpts',
    ]);

  command.output(join(input.outputDir, HLS_PLAYLIST_NAME)).outputOptions([
    '-map', '0:v:0',
    '-map', '0:a:0',
    '-c:v', 'copy',
    '-af', HLS_AUDIO_FILTER,
    '-c:a', 'aac',
    '-b:a', `${input.aacBitrateKbps}k`,
    '-ar', '48000',
    '-ac', '2',
    '-f', 'hls',
    '-hls_time', String(HLS_SEGMENT_SECONDS),
    '-hls_list_size', String(input.playlistSegments),
    '-hls_delete_threshold', '3',
    '-hls_flags', 'delete_segments+independent_segments+temp_file+program_date_time',
    '-hls_segment_type', 'mpegts',
    '-hls_segment_filename', join(input.outputDir, 'segment-%06d.ts'),
  ]);

  return ffmpegArguments(command);
}
