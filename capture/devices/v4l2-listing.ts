/**
 * Parses V4L2 format listings into formats, frame sizes and frame rates: the
 * output of `v4l2-ctl --list-formats-ext` (alone, or after the driver info and
 * controls that `--all` adds) and of `ffmpeg -f v4l2 -list_formats all`. It
 * also reads the driver info and checks whether a node can capture video. The
 * functions only parse text, and running the commands is the caller's job.
 *
 * Lines outside a format listing are skipped. A line that starts like a
 * listing entry but cannot be read raises a DeviceListingError naming it.
 */

import { DeviceListingError, numberedLines, type ListingLine } from './listing-error.js';

/** One frame interval line of v4l2-ctl, as frames per second. */
export type FrameInterval =
  | { kind: 'discrete'; fps: number }
  | { kind: 'stepwise' | 'continuous'; minFps: number; maxFps: number };

export type DiscreteFrameSize = {
  kind: 'discrete';
  width: number;
  height: number;
  /** The listed intervals, or null where the listing has no rates (ffmpeg's -list_formats). */
  intervals: FrameInterval[] | null;
};

/** A size range. V4L2 tools list no frame intervals for it. */
export type FrameSizeRange = {
  kind: 'stepwise' | 'continuous';
  minWidth: number;
  maxWidth: number;
  stepWidth: number;
  minHeight: number;
  maxHeight: number;
  stepHeight: number;
};

export type FrameSize = DiscreteFrameSize | FrameSizeRange;

/** The ffmpeg v4l2 `-input_format` values that the venue capture accepts. */
export type CaptureInputFormat = 'mjpeg' | 'yuyv422' | 'h264';

export type VideoFormat = {
  /** The V4L2 pixel format code such as MJPG or YUYV, or null in ffmpeg listings. */
  fourcc: string | null;
  /** The ffmpeg pixel format or codec name such as mjpeg or yuyv422, or null in v4l2-ctl listings. */
  ffmpegName: string | null;
  /** The `-input_format` value that selects this format, or null if the capture cannot use it. */
  inputFormat: CaptureInputFormat | null;
  description: string;
  compressed: boolean;
  /** A format that libv4l converts in software; ffmpeg's v4l2 input does not offer it by default. */
  emulated: boolean;
  /** The V4L2 buffer type, such as "Video Capture" or "Video Capture Multiplanar". */
  bufferType: string;
  sizes: FrameSize[];
};

/** The "Driver Info" section of `v4l2-ctl --all` or `--info`. */
export type V4l2DriverInfo = {
  driverName: string | null;
  cardType: string | null;
  busInfo: string | null;
  driverVersion: string | null;
  /** Capability names of the whole device, such as "Video Capture" and "Metadata Capture". */
  capabilities: string[];
  /** Capability names of this node, or null for drivers that report none. */
  deviceCaps: string[] | null;
};

export type V4l2Listing = {
  /** The driver info, or null when the text has none (plain --list-formats-ext, ffmpeg). */
  driver: V4l2DriverInfo | null;
  formats: VideoFormat[];
};

const VIDEO_CAPTURE = 'Video Capture';

const INPUT_FORMAT_BY_FOURCC: Record<string, CaptureInputFormat> = {
  MJPG: 'mjpeg',
  JPEG: 'mjpeg',
  YUYV: 'yuyv422',
  H264: 'h264',
};

const INPUT_FORMATS: readonly string[] = ['mjpeg', 'yuyv422', 'h264'];

/** Format flag names that v4l2-ctl appends to the description (fmtdesc2s in v4l-utils' v4l2-info.cpp). */
const FORMAT_FLAGS = new Set([
  'compressed',
  'emulated',
  'continuous-bytestream',
  'dyn-resolution',
  'enc-cap-frame-interval',
  'csc-colorspace',
  'csc-ycbcr',
  'csc-hsv',
  'csc-quantization',
  'csc-xfer-func',
]);

const V4L2_CTL = 'v4l2-ctl';
const FFMPEG = 'ffmpeg -list_formats';

// v4l2-ctl format lines as v4l-utils 1.22 (Debian 12) prints them: "[0]: 'MJPG' (Motion-JPEG, compressed)".
// Older releases print "Index : 0", "Pixel Format: 'MJPG' (compressed)" and "Name : Motion-JPEG".
const FORMAT_LINE = /^\[(\d+)\]: '(.+?)' \((.*)\)$/;
const OLD_PIXEL_FORMAT_LINE = /^Pixel Format\s*: '(.+?)'(?: \((.*)\))?$/;
const OLD_NAME_LINE = /^Name\s*: (.*)$/;
const TYPE_LINE = /^Type\s*: (.+)$/;
const DISCRETE_SIZE = /^(\d+)x(\d+)$/;
const SIZE_RANGE = /^(\d+)x(\d+) - (\d+)x(\d+)(?: with step (\d+)\/(\d+))?$/;
const SECONDS = String.raw`(\d+(?:\.\d+)?) ?s`;
const FPS = String.raw`(\d+(?:\.\d+)?)`;
const DISCRETE_INTERVAL = new RegExp(`^${SECONDS} \\(${FPS} fps\\)$`);
const INTERVAL_RANGE = new RegExp(
  `^${SECONDS} - ${SECONDS}(?: with step ${SECONDS})?(?: \\(${FPS}-${FPS} fps\\))?$`,
);

/** Parses `v4l2-ctl --list-formats-ext` output, with or without the `--all` sections before it. */
export function parseV4l2Listing(text: string): V4l2Listing {
  const lines = numberedLines(text);

  return { driver: parseDriverInfo(lines), formats: parseFormatEnumeration(lines) };
}

function invalid(line: ListingLine, problem: string): DeviceListingError {
  return new DeviceListingError(V4L2_CTL, line, problem);
}

function parseDriverInfo(lines: ListingLine[]): V4l2DriverInfo | null {
  // Older v4l-utils releases print "Driver Info (not using libv4l2):".
  const start = lines.findIndex((line) => /^Driver Info\b[^:]*:\s*$/.test(line.text));

  if (start < 0) return null;

  const driver: V4l2DriverInfo = {
    driverName: null,
    cardType: null,
    busInfo: null,
    driverVersion: null,
    capabilities: [],
    deviceCaps: null,
  };
  let capabilityList: string[] | null = null;

  // The section ends at the next line that is not indented, such as "Media Driver Info:".
  for (const { text } of lines.slice(start + 1)) {
    if (text.trim() === '') continue;
    if (!/^\s/.test(text)) break;

    const field = /^([A-Za-z][A-Za-z ]*?)\s*: (.*)$/.exec(text.trim());

    if (!field) {
      capabilityList?.push(text.trim());
      continue;
    }

    const [, key, value] = field as unknown as [string, string, string];

    capabilityList = null;
    if (key === 'Driver name') driver.driverName = value;
    if (key === 'Card type') driver.cardType = value;
    if (key === 'Bus info') driver.busInfo = value;
    if (key === 'Driver version') driver.driverVersion = value;
    if (key === 'Capabilities') capabilityList = driver.capabilities;
    if (key === 'Device Caps') {
      driver.deviceCaps = [];
      capabilityList = driver.deviceCaps;
    }
  }

  return driver;
}

/** The state of one pass over a VIDIOC_ENUM_FMT listing. */
type EnumerationState = {
  bufferType: string;
  format: VideoFormat | undefined;
  size: DiscreteFrameSize | undefined;
};

function parseFormatEnumeration(lines: ListingLine[]): VideoFormat[] {
  const formats: VideoFormat[] = [];
  const state: EnumerationState = { bufferType: VIDEO_CAPTURE, format: undefined, size: undefined };
  let inEnumeration = false;

  for (const line of lines) {
    const entry = line.text.trim();

    if (entry === 'ioctl: VIDIOC_ENUM_FMT' || FORMAT_LINE.test(entry)) {
      inEnumeration = true;
    } else if (inEnumeration && entry !== '' && !/^\s/.test(line.text) && !isEnumerationEntry(entry)) {
      // An unindented line such as "Format Video Capture:" starts another section.
      inEnumeration = false;
    }
    if (!inEnumeration || entry === '' || entry.startsWith('ioctl:')) continue;

    const format = readFormatLine(entry, state.bufferType, line);

    if (format) {
      formats.push(format);
      state.format = format;
      state.size = undefined;
      continue;
    }
    readEntryLine(entry, state, line);
  }

  return formats;
}

function isEnumerationEntry(entry: string): boolean {
  return /^(\[\d|Type\s*:|Size:|Interval:|Index\s*:|Pixel Format\s*:|Name\s*:)/.test(entry);
}

/** Returns the format that a format line starts, or undefined for other lines. */
function readFormatLine(entry: string, bufferType: string, line: ListingLine): VideoFormat | undefined {
  if (entry.startsWith('[')) {
    const match = FORMAT_LINE.exec(entry);

    if (!match) throw invalid(line, "expected [index]: 'FOURCC' (description)");

    return newV4l2Format(match[2]!, match[3]!, bufferType);
  }

  const oldFormat = OLD_PIXEL_FORMAT_LINE.exec(entry);

  if (oldFormat) return newV4l2Format(oldFormat[1]!, oldFormat[2] ?? '', bufferType);
  if (entry.startsWith('Pixel Format')) throw invalid(line, "expected Pixel Format: 'FOURCC'");

  return undefined;
}

function newV4l2Format(fourcc: string, details: string, bufferType: string): VideoFormat {
  // The parentheses hold the description followed by flag names: "H.264, compressed".
  const parts = details.split(', ');
  const flags: string[] = [];

  while (parts.length > 0 && isFormatFlag(parts[parts.length - 1]!)) flags.unshift(parts.pop()!);

  return {
    fourcc,
    ffmpegName: null,
    inputFormat: INPUT_FORMAT_BY_FOURCC[fourcc] ?? null,
    description: parts.join(', '),
    compressed: flags.includes('compressed'),
    emulated: flags.includes('emulated'),
    bufferType,
    sizes: [],
  };
}

function isFormatFlag(part: string): boolean {
  return FORMAT_FLAGS.has(part) || /^0x[0-9a-f]+$/i.test(part);
}

function readEntryLine(entry: string, state: EnumerationState, line: ListingLine): void {
  const type = TYPE_LINE.exec(entry);

  if (type) {
    state.bufferType = type[1]!;

    return;
  }

  const name = OLD_NAME_LINE.exec(entry);

  if (name && state.format) {
    state.format.description = name[1]!;

    return;
  }
  if (entry.startsWith('Size:')) {
    if (!state.format) throw invalid(line, 'Size line before any format line');

    const size = parseSizeLine(entry.slice('Size:'.length).trim(), line);

    if (size) state.format.sizes.push(size);
    state.size = size?.kind === 'discrete' ? size : undefined;

    return;
  }
  if (entry.startsWith('Interval:')) {
    if (!state.size) throw invalid(line, 'Interval line without a discrete Size line before it');

    state.size.intervals!.push(parseIntervalLine(entry.slice('Interval:'.length).trim(), line));
  }
}

/**
 * Parses "Discrete 1920x1080" or a stepwise or continuous size range, or
 * returns undefined for a range without bounds.
 */
function parseSizeLine(value: string, line: ListingLine): FrameSize | undefined {
  const [kind, ...rest] = value.split(' ');
  const bounds = rest.join(' ');

  if (kind === 'Discrete') {
    const match = DISCRETE_SIZE.exec(bounds);

    if (!match) throw invalid(line, 'expected Size: Discrete WIDTHxHEIGHT');

    return { kind: 'discrete', width: positive(match[1]!, line), height: positive(match[2]!, line), intervals: [] };
  }
  if (kind !== 'Stepwise' && kind !== 'Continuous') {
    throw invalid(line, 'expected Size: Discrete, Stepwise or Continuous');
  }
  // Older v4l-utils releases print no bounds for continuous sizes.
  if (kind === 'Continuous' && bounds === '') return undefined;

  const match = SIZE_RANGE.exec(bounds);

  if (!match) throw invalid(line, 'expected a size range WxH - WxH');

  return {
    kind: kind === 'Stepwise' ? 'stepwise' : 'continuous',
    minWidth: positive(match[1]!, line),
    maxWidth: positive(match[3]!, line),
    stepWidth: match[5] === undefined ? 1 : positive(match[5], line),
    minHeight: positive(match[2]!, line),
    maxHeight: positive(match[4]!, line),
    stepHeight: match[6] === undefined ? 1 : positive(match[6], line),
  };
}

/** Parses "Discrete 0.033s (30.000 fps)" or a stepwise or continuous interval range. */
function parseIntervalLine(value: string, line: ListingLine): FrameInterval {
  const [kind, ...rest] = value.split(' ');
  const bounds = rest.join(' ');

  if (kind === 'Discrete') {
    const match = DISCRETE_INTERVAL.exec(bounds);

    if (!match) throw invalid(line, 'expected Interval: Discrete 0.033s (30.000 fps)');

    return { kind: 'discrete', fps: positiveRate(match[2]!, line) };
  }
  if (kind !== 'Stepwise' && kind !== 'Continuous') {
    throw invalid(line, 'expected Interval: Discrete, Stepwise or Continuous');
  }

  const match = INTERVAL_RANGE.exec(bounds);

  if (!match) throw invalid(line, 'expected an interval range 0.033s - 1.000s');

  // Older v4l-utils print no rates for ranges, so the rates come from the rounded seconds.
  const [, shortest, longest, , minFps, maxFps] = match;

  return {
    kind: kind === 'Stepwise' ? 'stepwise' : 'continuous',
    minFps: minFps === undefined ? 1 / positiveRate(longest!, line) : positiveRate(minFps, line),
    maxFps: maxFps === undefined ? 1 / positiveRate(shortest!, line) : positiveRate(maxFps, line),
  };
}

function positive(digits: string, line: ListingLine): number {
  const value = Number(digits);

  if (!Number.isSafeInteger(value) || value <= 0) throw invalid(line, `size ${digits} is not a positive integer`);

  return value;
}

function positiveRate(digits: string, line: ListingLine): number {
  const value = Number(digits);

  if (!Number.isFinite(value) || value <= 0) throw invalid(line, `${digits} is not a positive number`);

  return value;
}

// ffmpeg's v4l2 input logs one line per format (libavdevice/v4l2.c, list_formats):
// "Raw       :     yuyv422 :           YUYV 4:2:2 : 640x480 ...", with an optional
// " Emulated :" before the sizes. Stepwise sizes read "{32-1920, 2}x{32-1080, 2}".
const FFMPEG_FORMAT_LINE = /^(Raw|Compressed)\s*:\s*(\S+) :\s*(.*?) :( Emulated :)?(.*)$/;
const FFMPEG_SIZE = /\{(\d+)-(\d+), (\d+)\}x\{(\d+)-(\d+), (\d+)\}|(\d+)x(\d+)/g;

/**
 * Parses `ffmpeg -f v4l2 -list_formats all -i DEVICE` output into the shape
 * of parseV4l2Listing. It lists no frame rates, so every discrete size has
 * null intervals, and ffmpeg shows no fourcc, so `fourcc` is null.
 */
export function parseFfmpegFormatList(text: string): V4l2Listing {
  const formats: VideoFormat[] = [];

  for (const line of numberedLines(text)) {
    // Strip the log prefix "[video4linux2,v4l2 @ 0x43e3c0] ".
    const entry = line.text.replace(/^(\[[^\]]*\]\s*)+/, '').trim();

    if (!/^(Raw|Compressed)\s*:/.test(entry)) continue;

    const match = FFMPEG_FORMAT_LINE.exec(entry);

    if (!match) throw new DeviceListingError(FFMPEG, line, 'expected Raw|Compressed : name : description : sizes');

    const name = match[2]!;

    formats.push({
      fourcc: null,
      ffmpegName: name,
      inputFormat: INPUT_FORMATS.includes(name) ? (name as CaptureInputFormat) : null,
      description: match[3]!,
      compressed: match[1] === 'Compressed',
      emulated: match[4] !== undefined,
      bufferType: VIDEO_CAPTURE,
      sizes: parseFfmpegSizes(match[5]!, line),
    });
  }

  return { driver: null, formats };
}

function parseFfmpegSizes(sizeList: string, line: ListingLine): FrameSize[] {
  const sizes: FrameSize[] = [];

  for (const match of sizeList.matchAll(FFMPEG_SIZE)) {
    if (match[7] !== undefined) {
      sizes.push({ kind: 'discrete', width: Number(match[7]), height: Number(match[8]), intervals: null });
      continue;
    }
    sizes.push({
      kind: 'stepwise',
      minWidth: Number(match[1]),
      maxWidth: Number(match[2]),
      stepWidth: Number(match[3]),
      minHeight: Number(match[4]),
      maxHeight: Number(match[5]),
      stepHeight: Number(match[6]),
    });
  }

  if (sizeList.replace(FFMPEG_SIZE, '').trim() !== '') {
    throw new DeviceListingError(FFMPEG, line, 'expected sizes such as 1920x1080');
  }

  return sizes;
}

export type VideoCaptureCheck = { capturesVideo: boolean; reason: string };

/**
 * Checks whether a node can capture video for ffmpeg. UVC cameras have a
 * second /dev/video node for metadata. Its device caps lack "Video Capture",
 * and v4l2-ctl lists no formats for it.
 */
export function checkVideoCapture(listing: V4l2Listing): VideoCaptureCheck {
  const caps = listing.driver?.deviceCaps ?? listing.driver?.capabilities ?? null;

  if (caps !== null && caps.length > 0 && !caps.includes(VIDEO_CAPTURE)) {
    const reason = caps.includes('Metadata Capture')
      ? 'it is a metadata node, which cannot capture video'
      : 'its capabilities lack Video Capture, which ffmpeg\'s v4l2 input needs';

    return { capturesVideo: false, reason: `${reason} (device caps: ${caps.join(', ')})` };
  }

  const videoFormats = listing.formats.filter((format) => format.bufferType === VIDEO_CAPTURE);

  if (videoFormats.length === 0) {
    return {
      capturesVideo: false,
      reason: 'it lists no video capture formats, as the metadata node of a UVC camera does',
    };
  }

  const count = videoFormats.length;

  return { capturesVideo: true, reason: `it lists ${count} video capture format${count === 1 ? '' : 's'}` };
}
