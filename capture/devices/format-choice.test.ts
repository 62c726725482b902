import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../appliance/http/page-routes.js';
import { resolveFfmpegPath } from '../../appliance/process/ffmpeg.js';
import { parseHwParams } from './alsa-listing.js';
import {
  chooseMicrophoneInput,
  chooseVideoMode,
  framerateOption,
  type CaptureTarget,
  type VideoModeChoice,
  type VideoModeFailure,
} from './format-choice.js';
import { parseFfmpegFormatList, parseV4l2Listing, type V4l2Listing } from './v4l2-listing.js';

function fixture(name: string): string {
  return readFileSync(join(projectRoot(), 'test', 'fixtures', 'devices', name), 'utf8');
}

const C920 = parseV4l2Listing(fixture('v4l2-formats-logitech-c920.txt'));
const MS2109 = parseV4l2Listing(fixture('v4l2-formats-ms2109-usb-video.txt'));
const MS2109_METADATA = parseV4l2Listing(fixture('v4l2-formats-ms2109-video1-metadata-node.txt'));
const HDMI_STICK = parseFfmpegFormatList(fixture('ffmpeg-list-formats-usb-hdmi-capture.txt'));
const USB_MIC = parseHwParams(fixture('arecord-dump-usb-mic-s24le-mono.txt'));
const WEBCAM_MIC = parseHwParams(fixture('arecord-dump-webcam-mic-lifecam-hd3000.txt'));

const TARGETS: CaptureTarget[] = [
  { width: 1920, height: 1080, fps: 30 },
  { width: 1920, height: 1080, fps: 25 },
  { width: 1280, height: 720, fps: 30 },
  { width: 1280, height: 720, fps: 25 },
];

/** Returns the discrete rates that a listing offers for a format and size. */
function listedRates(listing: V4l2Listing, inputFormat: string, width: number, height: number): number[] {
  return listing.formats
    .filter((format) => format.inputFormat === inputFormat)
    .flatMap((format) => format.sizes)
    .flatMap((size) =>
      size.kind === 'discrete' && size.width === width && size.height === height ? (size.intervals ?? []) : [],
    )
    .flatMap((interval) => (interval.kind === 'discrete' ? [interval.fps] : []));
}

function chosen(listing: V4l2Listing, target: CaptureTarget): VideoModeChoice {
  const choice = chooseVideoMode(listing, target);

  if (!choice.ok) throw new Error(`expected a mode, got: ${choice.explanation}`);

  return choice;
}

function failed(listing: V4l2Listing, target: CaptureTarget): VideoModeFailure {
  const choice = chooseVideoMode(listing, target);

  if (choice.ok) throw new Error(`expected no mode, got: ${choice.explanation}`);

  return choice;
}

/** Builds a v4l2-ctl listing with one format and discrete sizes with their rates. */
function listing(fourcc: string, description: string, sizes: Record<string, number[]>): string {
  const lines = ['ioctl: VIDIOC_ENUM_FMT', '\tType: Video Capture', '', `\t[0]: '${fourcc}' (${description})`];

  for (const [size, rates] of Object.entries(sizes)) {
    lines.push(`\t\tSize: Discrete ${size}`);
    for (const fps of rates) lines.push(`\t\t\tInterval: Discrete ${(1 / fps).toFixed(3)}s (${fps.toFixed(3)} fps)`);
  }

  return lines.join('\n');
}

function mjpegListing(sizes: Record<string, number[]>): string {
  return listing('MJPG', 'Motion-JPEG, compressed', sizes);
}

describe('chooseVideoMode', () => {
  for (const [name, camera] of [
    ['C920', C920],
    ['MS2109', MS2109],
  ] as const) {
    for (const target of TARGETS) {
      it(`${name} gets an offered mode at ${target.width}x${target.height}@${target.fps}`, () => {
        const choice = chosen(camera, target);
        const offered = listedRates(camera, choice.inputFormat, choice.width, choice.height);

        expect(offered).toContain(choice.fps);
        expect(choice.fps).toBeGreaterThanOrEqual(target.fps);
        expect(choice.width).toBe(target.width);
        expect(choice.height).toBe(target.height);
        expect(choice.rateVerified).toBe(true);
      });
    }
  }

  it('chooses MJPEG for the C920 at 1080p30', () => {
    const yuyvRates = listedRates(C920, 'yuyv422', 1920, 1080);
    const choice = chosen(C920, { width: 1920, height: 1080, fps: 30 });

    // The listing offers raw YUYV at this size, but too slowly.
    expect(yuyvRates.length).toBeGreaterThan(0);
    expect(Math.max(...yuyvRates)).toBeLessThan(30);
    expect(listedRates(C920, 'mjpeg', 1920, 1080)).toContain(30);
    expect(choice.inputOptions).toEqual(['-input_format', 'mjpeg', '-video_size', '1920x1080', '-framerate', '30']);
    expect(choice.fourcc).toBe('MJPG');
    expect(choice.explanation).toContain('Raw YUYV reaches only 5 fps at 1920x1080');
  });

  it('requests 30 fps from the C920 for 25', () => {
    const choice = chosen(C920, { width: 1920, height: 1080, fps: 25 });

    // The C920 lists 30 and 24 fps but not 25. uvcvideo picks the nearest listed interval, so 25 would get 24.
    expect(listedRates(C920, 'mjpeg', 1920, 1080)).not.toContain(25);
    expect(choice.fps).toBe(30);
    expect(choice.inputFormat).toBe('mjpeg');
    expect(choice.explanation).toContain('drops frames from 30 fps');
  });

  it('chooses raw YUYV where it reaches the rate', () => {
    const choice = chosen(C920, { width: 640, height: 480, fps: 30 });

    expect(listedRates(C920, 'yuyv422', 640, 480)).toContain(30);
    expect(choice.inputFormat).toBe('yuyv422');
  });

  it('prefers a multiple of the target rate', () => {
    const choice = chosen(MS2109, { width: 1280, height: 720, fps: 25 });

    expect(listedRates(MS2109, 'mjpeg', 1280, 720)).toEqual([60, 50, 30, 20, 10]);
    expect(choice.fps).toBe(50);
    expect(choice.explanation).toContain('drops frames evenly');
  });

  it('chooses MS2109 MJPEG at 1080p25 exactly', () => {
    const choice = chosen(MS2109, { width: 1920, height: 1080, fps: 25 });

    expect(choice.inputOptions).toEqual(['-input_format', 'mjpeg', '-video_size', '1920x1080', '-framerate', '25']);
  });

  it('chooses MJPEG for the HDMI stick without rates', () => {
    const choice = chosen(HDMI_STICK, { width: 1920, height: 1080, fps: 30 });

    expect(choice.inputOptions).toEqual(['-input_format', 'mjpeg', '-video_size', '1920x1080', '-framerate', '30']);
    expect(choice.rateVerified).toBe(false);
    expect(choice.fourcc).toBeNull();
    expect(choice.explanation).toContain('no frame rates');
    expect(choice.explanation).toContain('Raw YUYV is not chosen');
  });

  it('chooses the HDMI stick at 720p', () => {
    const choice = chosen(HDMI_STICK, { width: 1280, height: 720, fps: 25 });

    expect(choice.inputOptions).toEqual(['-input_format', 'mjpeg', '-video_size', '1280x720', '-framerate', '25']);
  });

  it('accepts an H.264-only camera', () => {
    const camera = parseV4l2Listing(listing('H264', 'H.264, compressed', { '1920x1080': [30, 15] }));
    const choice = chosen(camera, { width: 1920, height: 1080, fps: 30 });

    expect(choice.inputFormat).toBe('h264');
    expect(choice.inputOptions).toEqual(['-input_format', 'h264', '-video_size', '1920x1080', '-framerate', '30']);
  });

  it('falls back to the largest smaller mode', () => {
    const camera = parseV4l2Listing(mjpegListing({ '1920x1080': [15], '1280x720': [30], '640x360': [30] }));
    const choice = chosen(camera, { width: 1920, height: 1080, fps: 30 });

    expect(`${choice.width}x${choice.height}@${choice.fps}`).toBe('1280x720@30');
    expect(choice.explanation).toContain('scales up the largest smaller mode');
  });

  it('prefers the target aspect ratio', () => {
    const camera = parseV4l2Listing(mjpegListing({ '1280x1024': [30], '1280x720': [30] }));
    const choice = chosen(camera, { width: 1920, height: 1080, fps: 30 });

    expect(`${choice.width}x${choice.height}`).toBe('1280x720');
  });

  it('scales down a larger mode', () => {
    const camera = parseV4l2Listing(mjpegListing({ '3840x2160': [30], '1280x720': [15] }));
    const choice = chosen(camera, { width: 1920, height: 1080, fps: 30 });

    expect(`${choice.width}x${choice.height}@${choice.fps}`).toBe('3840x2160@30');
    expect(choice.explanation).toContain('scales down the smallest larger mode');
  });

  it('takes the fastest mode below the rate', () => {
    const camera = parseV4l2Listing(
      listing('YUYV', 'YUYV 4:2:2', { '1920x1080': [5], '1280x720': [10], '640x480': [10] }),
    );
    const choice = chosen(camera, { width: 1920, height: 1080, fps: 30 });

    expect(`${choice.width}x${choice.height}@${choice.fps}`).toBe('1280x720@10');
    expect(choice.explanation).toContain('No mode reaches 30 fps');
  });

  it('requests NTSC rates as fractions', () => {
    const camera = parseV4l2Listing(mjpegListing({ '1920x1080': [29.97, 15] }));
    const choice = chosen(camera, { width: 1920, height: 1080, fps: 30 });

    expect(choice.fps).toBe(29.97);
    expect(choice.inputOptions.slice(-2)).toEqual(['-framerate', '30000/1001']);
  });

  it('uses the target size of a stepwise range', () => {
    const text = [
      'ioctl: VIDIOC_ENUM_FMT',
      "\t[0]: 'YUYV' (YUYV 4:2:2)",
      '\t\tSize: Stepwise 32x32 - 1920x1080 with step 8/8',
    ].join('\n');
    const choice = chosen(parseV4l2Listing(text), { width: 1280, height: 720, fps: 25 });

    expect(choice.inputOptions).toEqual(['-input_format', 'yuyv422', '-video_size', '1280x720', '-framerate', '25']);
    expect(choice.rateVerified).toBe(false);
  });

  it('rejects the metadata node', () => {
    const failure = failed(MS2109_METADATA, { width: 1920, height: 1080, fps: 30 });

    expect(failure.explanation).toContain('cannot capture video');
  });

  it('rejects formats the capture cannot read', () => {
    const camera = parseV4l2Listing(listing('NV12', 'Y/UV 4:2:0', { '1920x1080': [30] }));
    const failure = failed(camera, { width: 1920, height: 1080, fps: 30 });

    expect(failure.explanation).toContain('it lists NV12');
  });

  it('rejects an invalid target', () => {
    expect(() => chooseVideoMode(C920, { width: 0, height: 1080, fps: 30 })).toThrow(/Invalid capture size 0x1080/);
    expect(() => chooseVideoMode(C920, { width: 1920, height: 1080, fps: Number.NaN })).toThrow(
      /Invalid capture rate NaN/,
    );
  });
});

describe('framerateOption', () => {
  it('formats whole, NTSC and other rates', () => {
    expect(framerateOption(30)).toBe('30');
    expect(framerateOption(29.97)).toBe('30000/1001');
    expect(framerateOption(59.94)).toBe('60000/1001');
    expect(framerateOption(7.5)).toBe('7.5');
  });
});

describe('chooseMicrophoneInput', () => {
  it('gives the 24-bit mono USB mic plughw', () => {
    const choice = chooseMicrophoneInput('UsbMic', 0, USB_MIC);

    expect(choice.plugin).toBe('plughw');
    expect(choice.device).toBe('plughw:CARD=UsbMic,DEV=0');
    expect(choice.channels).toBe(1);
    expect(choice.inputOptions).toEqual(['-f', 'alsa', '-channels', '1', '-sample_rate', '48000']);
    expect(choice.explanation).toContain('records only S24_3LE');
  });

  it('reads the webcam mic directly', () => {
    const choice = chooseMicrophoneInput('HD3000', 0, WEBCAM_MIC);

    expect(choice.device).toBe('hw:CARD=HD3000,DEV=0');
    expect(choice.inputOptions).toEqual(['-f', 'alsa', '-channels', '1', '-sample_rate', '48000']);
  });

  it('chooses stereo where offered', () => {
    const params = parseHwParams('ACCESS: RW_INTERLEAVED\nFORMAT: S16_LE\nCHANNELS: [1 2]\nRATE: [44100 48000]\n');
    const choice = chooseMicrophoneInput('C920', 0, params);

    expect(choice.device).toBe('hw:CARD=C920,DEV=0');
    expect(choice.channels).toBe(2);
  });

  it('uses plughw without 48 kHz', () => {
    const params = parseHwParams('FORMAT: S16_LE\nCHANNELS: 2\nRATE: 44100\n');
    const choice = chooseMicrophoneInput('C920', 0, params);

    expect(choice.plugin).toBe('plughw');
    expect(choice.explanation).toContain('does not record at 48000 Hz (it offers 44100 Hz)');
  });

  it('uses plughw for mmap-only access', () => {
    const params = parseHwParams('ACCESS: MMAP_INTERLEAVED\nFORMAT: S16_LE\nCHANNELS: 2\nRATE: 48000\n');

    expect(chooseMicrophoneInput('C920', 0, params).plugin).toBe('plughw');
  });

  it('uses plughw for many channels', () => {
    const params = parseHwParams('FORMAT: S16_LE\nCHANNELS: 4\nRATE: 48000\n');
    const choice = chooseMicrophoneInput('Interface', 0, params);

    expect(choice.plugin).toBe('plughw');
    expect(choice.channels).toBe(2);
    expect(choice.explanation).toContain('records 4 channels, not 1 or 2');
  });

  it('uses plughw for unknown parameters', () => {
    const choice = chooseMicrophoneInput('C920', 0, parseHwParams(''));

    expect(choice.plugin).toBe('plughw');
    expect(choice.channels).toBe(2);
  });

  it('warns about a suffixed card id', () => {
    const choice = chooseMicrophoneInput('ATR2USB_1', 0, WEBCAM_MIC);

    expect(choice.explanation).toContain('The card id ATR2USB_1 may end in a suffix');
  });
});

describe('installed ffmpeg', () => {
  function demuxerHelp(name: string): string {
    const result = spawnSync(resolveFfmpegPath(), ['-hide_banner', '-h', `demuxer=${name}`], { encoding: 'utf8' });

    return result.stdout;
  }

  it('knows the v4l2 options', () => {
    const help = demuxerHelp('v4l2');
    const options = chosen(C920, TARGETS[0]!).inputOptions.filter((option) => option.startsWith('-'));

    for (const option of options) expect(help).toContain(`${option} `);
  });

  it('knows the alsa options', () => {
    const help = demuxerHelp('alsa');
    const options = chooseMicrophoneInput('UsbMic', 0, USB_MIC).inputOptions.filter(
      (option) => option.startsWith('-') && option !== '-f',
    );

    for (const option of options) expect(help).toContain(`${option} `);
  });
});
