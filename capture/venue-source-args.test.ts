import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../appliance/config/load.js';
import { resolveFfmpegPath } from '../appliance/process/ffmpeg.js';
import { AudioLevelParser, SILENCE_DB } from './audio-level.js';
import {
  AUDIO_PAYLOAD_TYPE,
  buildAudioCaptureArgs,
  buildSlateArgs,
  buildVideoCaptureArgs,
  h264Level,
  MICROPHONE_SYNC,
  profileLevelId,
  VIDEO_PAYLOAD_TYPE,
} from './venue-source-args.js';

const VIDEO_URL = 'rtp://127.0.0.1:5004?rtcpport=5005&localrtpport=6004&localrtcpport=6005&localaddr=127.0.0.1&pkt_size=1200';
const AUDIO_URL = 'rtp://127.0.0.1:5006?rtcpport=5007&localrtpport=6006&localrtcpport=6007&localaddr=127.0.0.1&pkt_size=1200';
const VIDEO_TARGET = { rtpPort: 5004, rtcpPort: 5005, ssrc: 11111111, localRtpPort: 6004, localRtcpPort: 6005 };
const AUDIO_TARGET = { rtpPort: 5006, rtcpPort: 5007, ssrc: 22222222, localRtpPort: 6006, localRtcpPort: 6007 };

/** Builds the video capture arguments for a configuration given as raw YAML-like data. */
function argsFor(raw: object = {}): string[] {
  const config = parseConfig(raw);

  return buildVideoCaptureArgs({ video: config.venue.video, encoding: config.encoding, target: VIDEO_TARGET });
}

/** Builds the audio capture arguments for a configuration given as raw YAML-like data. */
function audioArgsFor(raw: object = {}): string[] {
  const config = parseConfig(raw);

  return buildAudioCaptureArgs({ audio: config.venue.audio, encoding: config.encoding, target: AUDIO_TARGET });
}

/** Returns the arguments after `from` (exclusive) up to `to` (inclusive). */
function slice(args: string[], from: string, to: string): string[] {
  const start = args.indexOf(from);
  const end = args.indexOf(to);

  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);

  return args.slice(start + 1, end + 1);
}

/** Returns the value following a flag, or undefined when the flag is absent. */
function valueOf(args: string[], flag: string): string | undefined {
  const index = args.indexOf(flag);

  return index < 0 ? undefined : args[index + 1];
}

function videoOutput(args: string[]): string[] {
  return slice(args, valueOf(args, '-filter_complex') ?? '', VIDEO_URL);
}

function audioOutput(args: string[]): string[] {
  return slice(args, valueOf(args, '-filter_complex') ?? '', AUDIO_URL);
}

function inputs(args: string[]): string[] {
  return args.slice(0, args.indexOf('-filter_complex'));
}

describe('buildVenueCaptureArgs global options', () => {
  it('starts with hide_banner and nostdin', () => {
    const args = argsFor();

    expect(args[0]).toBe('-hide_banner');
    expect(args[1]).toBe('-nostdin');
  });

  it('logs audio at info for level lines', () => {
    expect(valueOf(audioArgsFor(), '-loglevel')).toBe('info');
    expect(valueOf(argsFor(), '-loglevel')).toBe('warning');
  });

  it('sends from fixed local ports', () => {
    expect(argsFor().at(-1)).toBe(VIDEO_URL);
    expect(audioArgsFor().at(-1)).toBe(AUDIO_URL);
  });
});

describe('buildVenueCaptureArgs test sources', () => {
  it('reads test pattern from lavfi', () => {
    const before = inputs(argsFor({ venue: { video: { width: 640, height: 360, fps: 25 } } }));
    const index = before.indexOf('testsrc2=size=640x360:rate=25');

    expect(index).toBeGreaterThan(0);
    expect(before.slice(index - 4, index)).toEqual(['-f', 'lavfi', '-re', '-i']);
  });

  it('reads test tone from lavfi', () => {
    const before = inputs(audioArgsFor());
    const tone = before.at(-1) ?? '';

    expect(tone.startsWith('aevalsrc=')).toBe(true);
    expect(tone).toContain(':s=48000');
    expect(before.slice(-5, -1)).toEqual(['-f', 'lavfi', '-re', '-i']);
  });

  it('burns clock into test pattern', () => {
    const graph = valueOf(argsFor(), '-filter_complex') ?? '';

    expect(graph).toMatch(/^\[0:v\]drawtext=/);
    expect(graph).toContain('format=yuv420p[vout]');
    expect(graph).not.toContain('scale=');
  });
});

describe('buildVenueCaptureArgs device sources', () => {
  const v4l2 = { source: 'v4l2', device: '/dev/video2', width: 1920, height: 1080, fps: 25 };

  it('reads camera with input format', () => {
    const before = inputs(argsFor({ venue: { video: { ...v4l2, inputFormat: 'mjpeg' } } }));
    const start = before.indexOf('v4l2') - 1;

    expect(before.slice(start, start + 12)).toEqual([
      '-f', 'v4l2',
      '-thread_queue_size', '512',
      '-framerate', '25',
      '-video_size', '1920x1080',
      '-input_format', 'mjpeg',
      '-i', '/dev/video2',
    ]);
  });

  it('omits input_format when auto', () => {
    const args = argsFor({ venue: { video: { ...v4l2, inputFormat: 'auto' } } });

    expect(args).not.toContain('-input_format');
    expect(valueOf(args, '-video_size')).toBe('1920x1080');
  });

  it('scales camera to configured size', () => {
    const graph = valueOf(argsFor({ venue: { video: v4l2 } }), '-filter_complex') ?? '';

    expect(graph).toBe('[0:v]scale=1920:1080,format=yuv420p[vout]');
    expect(graph).not.toContain('drawtext');
  });

  it('encodes constant rate and reports progress', () => {
    const args = argsFor({ venue: { video: v4l2 } });

    // The repeats that cfr inserts are what FrameRateMeter counts as missing frames.
    expect(valueOf(args, '-fps_mode')).toBe('cfr');
    expect(valueOf(args, '-r')).toBe('25');
    expect(valueOf(args, '-progress')).toBe('pipe:2');
    expect(args.indexOf('-progress')).toBeLessThan(args.indexOf('-i'));
  });

  it('reads microphone from alsa', () => {
    const before = inputs(audioArgsFor({ venue: { audio: { source: 'alsa', device: 'plughw:CARD=Mic,DEV=0' } } }));

    expect(before.slice(-6)).toEqual(['-f', 'alsa', '-thread_queue_size', '1024', '-i', 'plughw:CARD=Mic,DEV=0']);
    expect(before.join(' ')).not.toContain('aevalsrc');
  });

  it('reads raw frames from pipe', () => {
    const video = { source: 'raw-pipe', pipe: '/tmp/venue-video.fifo', width: 320, height: 180, fps: 30 };
    const args = argsFor({ venue: { video } });
    const before = inputs(args);

    expect(before.slice(before.indexOf('rawvideo') - 1)).toEqual([
      '-f', 'rawvideo',
      '-thread_queue_size', '512',
      '-framerate', '30',
      '-video_size', '320x180',
      '-pixel_format', 'yuv420p',
      '-use_wallclock_as_timestamps', '1',
      '-i', '/tmp/venue-video.fifo',
    ]);
    expect(valueOf(args, '-filter_complex')).toBe('[0:v]scale=320:180,format=yuv420p[vout]');
  });

  it('reads raw PCM from pipe', () => {
    const before = inputs(audioArgsFor({ venue: { audio: { source: 'raw-pipe', pipe: '/tmp/venue-audio.fifo' } } }));

    expect(before.slice(before.indexOf('s16le') - 1)).toEqual([
      '-f', 's16le',
      '-thread_queue_size', '1024',
      '-ar', '48000',
      '-ac', '1',
      '-use_wallclock_as_timestamps', '1',
      '-i', '/tmp/venue-audio.fifo',
    ]);
  });
});

describe('buildVenueCaptureArgs microphone sync', () => {
  it.each([
    ['alsa', { source: 'alsa', device: 'hw:CARD=Mic,DEV=0' }],
    ['raw-pipe', { source: 'raw-pipe', pipe: '/tmp/venue-audio.fifo' }],
  ])('resamples %s to its timestamps', (_name, audio) => {
    const graph = valueOf(audioArgsFor({ venue: { audio } }), '-filter_complex') ?? '';

    expect(graph.startsWith(`[0:a]${MICROPHONE_SYNC},asplit=2`)).toBe(true);
  });

  it('stretches by up to about 4%', () => {
    const options = new Map(MICROPHONE_SYNC.replace('aresample=48000:', '').split(':').map((o) => o.split('=') as [string, string]));
    // aresample changes the rate by the lag in seconds, up to async / sample rate.
    const maxCorrection = Number(options.get('async')) / 48000;

    expect(maxCorrection).toBeGreaterThan(0.03);
    expect(maxCorrection).toBeLessThan(0.05);
    expect(options.get('first_pts')).toBe('0');
    // Gaps such as an overrun are filled at once, hold-ups of a few hundred ms stretched away.
    expect(Number(options.get('min_hard_comp'))).toBeGreaterThanOrEqual(0.2);
    expect(Number(options.get('min_hard_comp'))).toBeLessThanOrEqual(0.5);
  });

  it('leaves test tone without sync', () => {
    const graph = valueOf(audioArgsFor(), '-filter_complex') ?? '';

    expect(graph).not.toContain('async');
  });
});

describe('buildVenueCaptureArgs audio graph', () => {
  it('splits audio into output and meter', () => {
    const graph = valueOf(audioArgsFor(), '-filter_complex') ?? '';

    expect(graph).toMatch(/^\[0:a\]aresample=48000,asplit=2\[aout\]\[ameter\];\[ameter\]/);
    expect(graph).toContain('measure_overall=Peak_level+RMS_level');
    expect(graph).toContain('ametadata=mode=print');
    expect(graph.endsWith(',anullsink')).toBe(true);
  });
});

describe('buildVenueCaptureArgs H.264 output', () => {
  const args = argsFor({
    venue: { video: { width: 1280, height: 720, fps: 25 } },
    encoding: { videoBitrateKbps: 3000, x264Preset: 'faster' },
  });
  const video = videoOutput(args);

  it('maps vout to libx264', () => {
    expect(video.slice(0, 4)).toEqual(['-map', '[vout]', '-c:v', 'libx264']);
  });

  it('encodes baseline without B-frames', () => {
    expect(valueOf(video, '-profile:v')).toBe('baseline');
    expect(valueOf(video, '-bf')).toBe('0');
    expect(valueOf(video, '-tune')).toBe('zerolatency');
    expect(valueOf(video, '-preset')).toBe('faster');
  });

  it('puts keyframe every second', () => {
    expect(valueOf(video, '-r')).toBe('25');
    expect(valueOf(video, '-g')).toBe('25');
    expect(valueOf(video, '-keyint_min')).toBe('25');
    expect(valueOf(video, '-sc_threshold')).toBe('0');
    expect(valueOf(video, '-force_key_frames')).toBe('expr:gte(t,n_forced*1)');
  });

  it('caps bitrate with half-size buffer', () => {
    expect(valueOf(video, '-b:v')).toBe('3000k');
    expect(valueOf(video, '-maxrate')).toBe('3000k');
    expect(valueOf(video, '-bufsize')).toBe('1500k');
  });

  it('signals level for frame size', () => {
    expect(valueOf(video, '-level:v')).toBe('3.1');
    expect(valueOf(videoOutput(argsFor({ venue: { video: { width: 1920, height: 1080, fps: 60 } } })), '-level:v')).toBe(
      '4.2',
    );
  });

  it('sends video RTP with ssrc', () => {
    expect(valueOf(video, '-payload_type')).toBe(String(VIDEO_PAYLOAD_TYPE));
    expect(VIDEO_PAYLOAD_TYPE).toBe(102);
    expect(valueOf(video, '-ssrc')).toBe('11111111');
    expect(video.slice(-3)).toEqual(['-f', 'rtp', VIDEO_URL]);
  });
});

describe('buildVenueCaptureArgs Opus output', () => {
  const audio = audioOutput(audioArgsFor({ encoding: { opusBitrateKbps: 96 } }));

  it('maps aout to libopus', () => {
    expect(audio.slice(0, 4)).toEqual(['-map', '[aout]', '-c:a', 'libopus']);
  });

  it('encodes stereo 48 kHz low delay', () => {
    expect(valueOf(audio, '-b:a')).toBe('96k');
    expect(valueOf(audio, '-ac')).toBe('2');
    expect(valueOf(audio, '-ar')).toBe('48000');
    expect(valueOf(audio, '-application')).toBe('lowdelay');
  });

  it('sends audio RTP with ssrc', () => {
    expect(valueOf(audio, '-payload_type')).toBe(String(AUDIO_PAYLOAD_TYPE));
    expect(AUDIO_PAYLOAD_TYPE).toBe(101);
    expect(valueOf(audio, '-ssrc')).toBe('22222222');
    expect(audio.slice(-3)).toEqual(['-f', 'rtp', AUDIO_URL]);
  });

  it('ends the line with audio URL', () => {
    expect(audioArgsFor().at(-1)).toBe(AUDIO_URL);
  });
});

describe('buildSlateArgs', () => {
  const config = parseConfig({ venue: { video: { width: 1920, height: 1080, fps: 25 } } });
  const slate = buildSlateArgs({ video: config.venue.video, encoding: config.encoding, target: VIDEO_TARGET });

  it('draws the slate text on a plain picture', () => {
    expect(inputs(slate)).toContain('color=c=0x111827:size=1920x1080:rate=25');
    expect(valueOf(slate, '-filter_complex')).toContain("text='Bild folgt gleich'");
  });

  it('feeds the camera producer with the same encode', () => {
    expect(valueOf(slate, '-ssrc')).toBe('11111111');
    expect(valueOf(slate, '-profile:v')).toBe('baseline');
    expect(valueOf(slate, '-g')).toBe('25');
    expect(slate.at(-1)).toBe(VIDEO_URL);
  });
});

describe('h264Level', () => {
  // Macroblock rates: 720p30 = 80*45*30 = 108000 (the level 3.1 limit),
  // 1080p30 = 120*68*30 = 244800 (below the level 4.0 limit of 245760).
  it.each([
    [1280, 720, 30, '3.1'],
    [1280, 720, 31, '4.0'],
    [1281, 720, 30, '4.0'],
    [1920, 1080, 30, '4.0'],
    [1920, 1080, 31, '4.2'],
    [1920, 1080, 60, '4.2'],
    // A 1080p frame (8160 macroblocks) exceeds level 3.1's frame size limit of 3600 at any rate.
    [1920, 1080, 10, '4.0'],
    [3840, 2160, 30, '5.1'],
    [3840, 2160, 60, '5.2'],
  ] as const)('gives %ix%i at %i fps level %s', (width, height, fps, level) => {
    expect(h264Level(width, height, fps)).toBe(level);
  });
});

describe('profileLevelId', () => {
  it.each([
    ['3.1', '42e01f'],
    ['4.0', '42e028'],
    ['4.2', '42e02a'],
    ['5.1', '42e033'],
    ['5.2', '42e034'],
  ] as const)('gives level %s as %s', (level, id) => {
    expect(profileLevelId(level)).toBe(id);
  });
});

describe('filter graphs with real ffmpeg', () => {
  it('parses the audio graph and prints level lines', () => {
    const graph = valueOf(audioArgsFor(), '-filter_complex') ?? '';
    const result = spawnSync(
      resolveFfmpegPath(),
      [
        '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
        '-f', 'lavfi', '-i', 'aevalsrc=0:s=48000:d=0.5',
        '-filter_complex', graph,
        '-map', '[aout]', '-f', 'null', '-',
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    const parser = new AudioLevelParser();
    const levels = result.stderr.split('\n').flatMap((line) => parser.push(line) ?? []);

    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(levels.length).toBeGreaterThan(0);
    expect(levels[0]).toEqual({ peakDb: SILENCE_DB, rmsDb: SILENCE_DB });
  });

  it('parses the microphone graph', () => {
    const graph = valueOf(audioArgsFor({ venue: { audio: { source: 'alsa' } } }), '-filter_complex') ?? '';
    const result = spawnSync(
      resolveFfmpegPath(),
      [
        '-hide_banner', '-nostdin', '-loglevel', 'error',
        '-f', 'lavfi', '-i', 'aevalsrc=0:s=44100:d=0.5',
        '-filter_complex', graph,
        '-map', '[aout]', '-f', 'null', '-',
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each([
    ['video', () => valueOf(argsFor(), '-filter_complex')],
    ['slate', () => {
      const config = parseConfig({});

      return valueOf(buildSlateArgs({ video: config.venue.video, encoding: config.encoding, target: VIDEO_TARGET }), '-filter_complex');
    }],
  ])('parses the %s graph', (_name, graphOf) => {
    const result = spawnSync(
      resolveFfmpegPath(),
      [
        '-hide_banner', '-nostdin', '-loglevel', 'error',
        '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=5:duration=1',
        '-filter_complex', graphOf() ?? '',
        '-map', '[vout]', '-frames:v', '1', '-f', 'null', '-',
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
