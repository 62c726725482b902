import { describe, expect, it } from 'vitest';
import { buildHlsArgs, HLS_AUDIO_FILTER, HLS_PLAYLIST_NAME, HLS_SEGMENT_SECONDS } from './hls-args.js';

const args = buildHlsArgs({
  sdpPath: '/var/lib/podium/hls/event-1/room.sdp',
  outputDir: '/var/lib/podium/hls/event-1',
  aacBitrateKbps: 96,
  playlistSegments: 7,
});

/** Returns the value following a flag, or undefined when the flag is absent. */
function valueOf(list: string[], flag: string): string | undefined {
  const index = list.indexOf(flag);

  return index < 0 ? undefined : list[index + 1];
}

const inputIndex = args.indexOf('-i');
const inputOptions = args.slice(0, inputIndex);
const outputOptions = args.slice(inputIndex + 2);

describe('buildHlsArgs global options', () => {
  it('starts with hide_banner and nostdin', () => {
    expect(args[0]).toBe('-hide_banner');
    expect(args[1]).toBe('-nostdin');
  });

  it('logs warnings only', () => {
    expect(valueOf(args, '-loglevel')).toBe('warning');
  });
});

describe('buildHlsArgs input', () => {
  it('reads the SDP file', () => {
    expect(args[inputIndex + 1]).toBe('/var/lib/podium/hls/event-1/room.sdp');
    expect(valueOf(inputOptions, '-f')).toBe('sdp');
  });

  it('whitelists file, udp and rtp', () => {
    expect(valueOf(inputOptions, '-protocol_whitelist')).toBe('file,udp,rtp');
  });

  it('generates missing timestamps', () => {
    expect(valueOf(inputOptions, '-fflags')).toBe('+genpts');
  });
});

describe('buildHlsArgs encoding', () => {
  it('maps first video and audio', () => {
    const maps = outputOptions.flatMap((arg, index) => (arg === '-map' ? [outputOptions[index + 1]] : []));

    expect(maps).toEqual(['0:v:0', '0:a:0']);
  });

  it('copies video without encode', () => {
    expect(valueOf(outputOptions, '-c:v')).toBe('copy');
    expect(outputOptions).not.toContain('libx264');
  });

  it('encodes AAC at configured bitrate', () => {
    expect(valueOf(outputOptions, '-c:a')).toBe('aac');
    expect(valueOf(outputOptions, '-b:a')).toBe('96k');
  });

  it('encodes stereo at 48 kHz', () => {
    expect(valueOf(outputOptions, '-ar')).toBe('48000');
    expect(valueOf(outputOptions, '-ac')).toBe('2');
  });

  it('follows audio timestamps slowly', () => {
    const options = new Map(HLS_AUDIO_FILTER.replace('aresample=', '').split(':').map((o) => o.split('=') as [string, string]));

    expect(valueOf(outputOptions, '-af')).toBe(HLS_AUDIO_FILTER);
    // A sender report anchored on a late packet must not move the sound at once.
    expect(Number(options.get('async'))).toBeLessThanOrEqual(200);
    expect(Number(options.get('min_hard_comp'))).toBeGreaterThanOrEqual(0.5);
    // A restarted capture (at least 1 s away) is filled at once.
    expect(Number(options.get('min_hard_comp'))).toBeLessThan(1);
    expect(options.has('first_pts')).toBe(false);
  });
});

describe('buildHlsArgs HLS muxer', () => {
  it('writes one-second segments', () => {
    expect(HLS_SEGMENT_SECONDS).toBe(1);
    expect(valueOf(outputOptions, '-hls_time')).toBe('1');
  });

  it('keeps configured playlist size', () => {
    expect(valueOf(outputOptions, '-hls_list_size')).toBe('7');
  });

  it('uses MPEG-TS segments', () => {
    expect(valueOf(outputOptions, '-f')).toBe('hls');
    expect(valueOf(outputOptions, '-hls_segment_type')).toBe('mpegts');
  });

  it('replaces playlist atomically', () => {
    const flags = (valueOf(outputOptions, '-hls_flags') ?? '').split('+');

    expect(flags).toContain('temp_file');
    expect(flags).toContain('delete_segments');
    expect(flags).toContain('independent_segments');
  });

  it('names segments in output directory', () => {
    expect(valueOf(outputOptions, '-hls_segment_filename')).toBe('/var/lib/podium/hls/event-1/segment-%06d.ts');
  });

  it('ends with playlist path', () => {
    expect(HLS_PLAYLIST_NAME).toBe('index.m3u8');
    expect(args.at(-1)).toBe('/var/lib/podium/hls/event-1/index.m3u8');
  });

  it('follows other playlist settings', () => {
    const other = buildHlsArgs({ sdpPath: 'in.sdp', outputDir: 'out', aacBitrateKbps: 160, playlistSegments: 3 });

    expect(valueOf(other, '-b:a')).toBe('160k');
    expect(valueOf(other, '-hls_list_size')).toBe('3');
    expect(other.at(-1)).toBe('out/index.m3u8');
  });
});
