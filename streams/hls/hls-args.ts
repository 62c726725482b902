import { join } from 'node:path';
import Ffmpeg from 'fluent-ffmpeg';
import { ffmpegArguments } from '../../appliance/process/ffmpeg.js';

/** Segment length of the HLS restream, in seconds; the capture puts a keyframe at every second. */
export const HLS_SEGMENT_SECONDS = 1;

export const HLS_PLAYLIST_NAME = 'index.m3u8';

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
    '-af', 'aresample=async=1000:first_pts=0',
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
