/**
 * Chooses the capture mode of the venue camera and microphone from their
 * parsed listings, and returns the ffmpeg input options with an explanation
 * for the setup screen.
 *
 * Camera: the target size at the target rate first. Raw YUYV only where it
 * reaches the rate at that size, then MJPEG, then H.264. Without such a mode
 * it falls back to the largest smaller mode that reaches the rate (the
 * target's aspect ratio first), then a larger one, then the fastest mode. It requests a rate that the device
 * lists, because uvcvideo maps any other rate to the nearest listed one (25
 * to 24 fps on a C920). The capture's fps filter turns a higher device rate
 * into the target rate.
 *
 * Microphone: `hw` when the device accepts what ffmpeg's ALSA input requests
 * (S16_LE, interleaved, 48000 Hz, 1 or 2 channels), else `plughw`, whose
 * plug layer converts the samples.
 */

import {
  alsaDeviceName,
  intervalContains,
  mayBeDuplicateCardId,
  type AlsaHwParams,
  type AlsaPlugin,
  type HwInterval,
} from './alsa-listing.js';
import {
  checkVideoCapture,
  type CaptureInputFormat,
  type FrameInterval,
  type V4l2Listing,
  type VideoFormat,
} from './v4l2-listing.js';

/** The picture the capture sends, such as 1920x1080 or 1280x720 at 25 or 30 fps. */
export type CaptureTarget = { width: number; height: number; fps: number };

export type VideoModeChoice = {
  ok: true;
  inputFormat: CaptureInputFormat;
  /** The V4L2 pixel format code, or null for ffmpeg listings. */
  fourcc: string | null;
  width: number;
  height: number;
  /** The device rate to request. Above the target rate, the capture's fps filter drops frames. */
  fps: number;
  /** False when the listing has no frame rates, so the device may not reach `fps`. */
  rateVerified: boolean;
  /** ffmpeg v4l2 input options, such as -input_format mjpeg -video_size 1920x1080 -framerate 30. */
  inputOptions: string[];
  explanation: string;
};

export type VideoModeFailure = { ok: false; explanation: string };

/** The relation of a device rate to the target rate, in order of preference. */
type RateFit = 'exact' | 'multiple' | 'above' | 'unknown' | 'below';

const RATE_FIT_ORDER: readonly RateFit[] = ['exact', 'multiple', 'above', 'unknown', 'below'];

type Candidate = {
  format: VideoFormat & { inputFormat: CaptureInputFormat };
  width: number;
  height: number;
  fit: RateFit;
  fps: number;
};

const FORMAT_LABELS: Record<CaptureInputFormat, string> = {
  mjpeg: 'MJPEG',
  yuyv422: 'raw YUYV',
  h264: 'H.264',
};

/**
 * Rates within 0.2 % count as equal, so that 29.970 fps (NTSC, 30000/1001)
 * serves a 30 fps target.
 */
const RATE_TOLERANCE = 0.002;

/** Chooses the camera mode for a target, or explains why none fits. */
export function chooseVideoMode(listing: V4l2Listing, target: CaptureTarget): VideoModeChoice | VideoModeFailure {
  validateTarget(target);

  const check = checkVideoCapture(listing);

  if (!check.capturesVideo) return { ok: false, explanation: `The device cannot capture video: ${check.reason}.` };

  const candidates = listCandidates(listing, target);

  if (candidates.length === 0) {
    const listed = listing.formats.map((format) => format.fourcc ?? format.ffmpegName ?? format.description);

    return {
      ok: false,
      explanation:
        `The device offers no mode that the capture can read: it lists ${listed.join(', ')}, ` +
        'and the capture reads MJPEG, raw YUYV or H.264 from a single-planar video capture node.',
    };
  }

  const best = candidates.sort((a, b) => compareCandidates(a, b, target))[0]!;

  return {
    ok: true,
    inputFormat: best.format.inputFormat,
    fourcc: best.format.fourcc,
    width: best.width,
    height: best.height,
    fps: best.fps,
    rateVerified: best.fit !== 'unknown',
    inputOptions: [
      '-input_format', best.format.inputFormat,
      '-video_size', `${best.width}x${best.height}`,
      '-framerate', framerateOption(best.fps),
    ],
    explanation: explainChoice(best, candidates, target),
  };
}

function validateTarget(target: CaptureTarget): void {
  const { width, height, fps } = target;

  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`Invalid capture size ${width}x${height}: expected positive integers`);
  }
  if (!Number.isFinite(fps) || fps <= 0) {
    throw new RangeError(`Invalid capture rate ${fps}: expected a positive number of frames per second`);
  }
}

/** Lists every mode that the capture can request, with the device rate to request for it. */
function listCandidates(listing: V4l2Listing, target: CaptureTarget): Candidate[] {
  const candidates: Candidate[] = [];

  for (const format of listing.formats) {
    // ffmpeg's v4l2 input reads only single-planar capture and skips libv4l's emulated formats.
    if (!hasInputFormat(format) || format.bufferType !== 'Video Capture' || format.emulated) continue;

    for (const size of format.sizes) {
      if (size.kind === 'discrete') {
        const rate = chooseRate(size.intervals, target.fps);

        candidates.push({ format, width: size.width, height: size.height, ...rate });
        continue;
      }

      // A size range yields only the target size, and V4L2 lists no rates for ranges.
      const fitsWidth = target.width >= size.minWidth && target.width <= size.maxWidth;
      const fitsHeight = target.height >= size.minHeight && target.height <= size.maxHeight;
      const onWidthStep = (target.width - size.minWidth) % size.stepWidth === 0;
      const onHeightStep = (target.height - size.minHeight) % size.stepHeight === 0;

      if (fitsWidth && fitsHeight && onWidthStep && onHeightStep) {
        candidates.push({ format, width: target.width, height: target.height, fit: 'unknown', fps: target.fps });
      }
    }
  }

  return candidates;
}

function hasInputFormat(format: VideoFormat): format is VideoFormat & { inputFormat: CaptureInputFormat } {
  return format.inputFormat !== null;
}

/** Picks the device rate for one size: the target, else a multiple of it, else the next higher, else the highest. */
function chooseRate(intervals: FrameInterval[] | null, targetFps: number): { fit: RateFit; fps: number } {
  if (intervals === null || intervals.length === 0) return { fit: 'unknown', fps: targetFps };

  const offered: number[] = [];

  for (const interval of intervals) {
    if (interval.kind === 'discrete') {
      if (sameRate(interval.fps, targetFps)) return { fit: 'exact', fps: interval.fps };
      offered.push(interval.fps);
      continue;
    }
    // NOTE: a stepwise range may skip the target rate, and the driver then picks the nearest step.
    if (interval.minFps <= targetFps * (1 + RATE_TOLERANCE) && interval.maxFps >= targetFps * (1 - RATE_TOLERANCE)) {
      return { fit: 'exact', fps: targetFps };
    }
    offered.push(interval.minFps > targetFps ? interval.minFps : interval.maxFps);
  }

  const higher = offered.filter((fps) => fps > targetFps).sort((a, b) => a - b);
  const multiple = higher.find((fps) => isMultiple(fps, targetFps));

  if (multiple !== undefined) return { fit: 'multiple', fps: multiple };
  if (higher.length > 0) return { fit: 'above', fps: higher[0]! };

  return { fit: 'below', fps: Math.max(...offered) };
}

function sameRate(fps: number, targetFps: number): boolean {
  return Math.abs(fps - targetFps) <= targetFps * RATE_TOLERANCE;
}

/** Checks whether dropping frames evenly turns `fps` into `targetFps`, as 50 into 25. */
function isMultiple(fps: number, targetFps: number): boolean {
  const ratio = fps / targetFps;

  return Math.abs(ratio - Math.round(ratio)) <= Math.round(ratio) * RATE_TOLERANCE;
}

function reachesRate(candidate: Candidate): boolean {
  return candidate.fit === 'exact' || candidate.fit === 'multiple' || candidate.fit === 'above';
}

function isTargetSize(candidate: Candidate, target: CaptureTarget): boolean {
  return candidate.width === target.width && candidate.height === target.height;
}

function fitsInTarget(candidate: Candidate, target: CaptureTarget): boolean {
  return candidate.width <= target.width && candidate.height <= target.height;
}

function hasTargetAspect(candidate: Candidate, target: CaptureTarget): boolean {
  return Math.abs(candidate.width / candidate.height - target.width / target.height) < 0.01;
}

/**
 * Returns the preference tier of a candidate, lower first. Tier 0 is the
 * target size at the rate and 1 the target size with unknown rates. Tiers 2
 * and 3 are the same for smaller sizes, 4 is larger sizes, and 5 is modes
 * that do not reach the rate.
 */
function tier(candidate: Candidate, target: CaptureTarget): number {
  const unknown = candidate.fit === 'unknown';

  if (!reachesRate(candidate) && !unknown) return 5;
  if (isTargetSize(candidate, target)) return unknown ? 1 : 0;
  if (fitsInTarget(candidate, target)) return unknown ? 3 : 2;

  return 4;
}

/**
 * Ranks the formats: raw YUYV first where its rate is verified, because it
 * needs no decoding. Where rates are unknown, raw YUYV comes last, because
 * 1920x1080 YUYV at 30 fps needs about 1 Gbit/s and USB 2.0 carries 480 Mbit/s.
 */
function formatRank(candidate: Candidate): number {
  const order: CaptureInputFormat[] =
    candidate.fit === 'unknown' ? ['mjpeg', 'h264', 'yuyv422'] : ['yuyv422', 'mjpeg', 'h264'];

  return order.indexOf(candidate.format.inputFormat);
}

function compareCandidates(a: Candidate, b: Candidate, target: CaptureTarget): number {
  const tierA = tier(a, target);
  const byTier = tierA - tier(b, target);

  if (byTier !== 0) return byTier;

  const area = (candidate: Candidate) => candidate.width * candidate.height;
  const aspect = (candidate: Candidate) => (hasTargetAspect(candidate, target) ? 0 : 1);
  const targetArea = target.width * target.height;
  const keys: Array<(candidate: Candidate) => number> = [];

  if (tierA === 2 || tierA === 3) keys.push(aspect, (candidate) => -area(candidate));
  if (tierA === 4) keys.push(aspect, area);
  if (tierA === 5) {
    keys.push(
      (candidate) => -candidate.fps,
      (candidate) => (fitsInTarget(candidate, target) ? 0 : 1),
      aspect,
      (candidate) => Math.abs(area(candidate) - targetArea),
    );
  }
  keys.push(formatRank, (candidate) => RATE_FIT_ORDER.indexOf(candidate.fit), (candidate) => candidate.fps);

  for (const key of keys) {
    const difference = key(a) - key(b);

    if (difference !== 0) return difference;
  }

  return 0;
}

/** Formats a rate for -framerate: "30", "30000/1001" for 29.970, else up to three decimals. */
export function framerateOption(fps: number): string {
  if (Math.abs(fps - Math.round(fps)) < 0.001) return String(Math.round(fps));

  const ntscBase = Math.round(fps * 1.001);

  if (Math.abs(fps - (ntscBase * 1000) / 1001) < 0.001) return `${ntscBase * 1000}/1001`;

  return String(Number(fps.toFixed(3)));
}

function describeRate(fps: number): string {
  return `${String(Number(fps.toFixed(3)))} fps`;
}

function explainChoice(best: Candidate, candidates: Candidate[], target: CaptureTarget): string {
  const targetSize = `${target.width}x${target.height}`;
  const targetRate = describeRate(target.fps);
  const mode = `${FORMAT_LABELS[best.format.inputFormat]} ${best.width}x${best.height} at ${describeRate(best.fps)}`;
  const sentences: string[] = [];

  switch (tier(best, target)) {
    case 0:
      sentences.push(best.fit === 'exact' ? 'This is the target size and rate.' : 'This is the target size.');
      break;
    case 1:
      sentences.push(`The listing has no frame rates, so ${targetRate} is requested without a check.`);
      break;
    case 2:
      sentences.push(
        `No mode at ${targetSize} reaches ${targetRate}, ` +
          'so the capture scales up the largest smaller mode that does.',
      );
      break;
    case 3:
      sentences.push(
        `No mode at ${targetSize} is listed, so the capture scales up the largest smaller mode. ` +
          `The listing has no frame rates, so ${targetRate} is requested without a check.`,
      );
      break;
    case 4:
      sentences.push(
        `No mode at or below ${targetSize} reaches ${targetRate}, ` +
          'so the capture scales down the smallest larger mode that does.',
      );
      break;
    default:
      sentences.push(`No mode reaches ${targetRate}. This is the fastest one, so the capture repeats frames.`);
  }

  if (best.fit === 'multiple') {
    sentences.push(
      `There is no ${targetRate} mode at this size, ` +
        `so the capture drops frames evenly from ${describeRate(best.fps)}.`,
    );
  }
  if (best.fit === 'above') {
    sentences.push(
      `There is no ${targetRate} mode at this size, so the capture drops frames from ${describeRate(best.fps)}, ` +
        'which makes motion slightly uneven.',
    );
  }
  if (!hasTargetAspect(best, target)) {
    sentences.push(`Its aspect ratio differs from ${targetSize}, so the picture is stretched.`);
  }
  sentences.push(...explainSkippedFormats(best, candidates, target));

  return `${mode}. ${sentences.join(' ')}`;
}

/** Explains why raw YUYV or MJPEG at the chosen size lost, where the device offers them. */
function explainSkippedFormats(best: Candidate, candidates: Candidate[], target: CaptureTarget): string[] {
  const sameSize = candidates.filter(
    (candidate) => candidate.width === best.width && candidate.height === best.height && candidate !== best,
  );
  const sentences: string[] = [];

  for (const inputFormat of ['yuyv422', 'mjpeg'] as const) {
    const other = sameSize.find((candidate) => candidate.format.inputFormat === inputFormat);

    if (!other || inputFormat === best.format.inputFormat) continue;

    const label = FORMAT_LABELS[inputFormat];
    const size = `${best.width}x${best.height}`;

    if (other.fit === 'below') {
      sentences.push(`${capitalize(label)} reaches only ${describeRate(other.fps)} at ${size}.`);
    }
    if (other.fit === 'unknown' && best.fit === 'unknown' && inputFormat === 'yuyv422') {
      sentences.push(`${capitalize(label)} is not chosen because its rate at ${size} is unknown.`);
    }
  }
  if (best.format.inputFormat === 'h264' && tier(best, target) === 0) {
    sentences.push('The capture decodes the H.264 stream and encodes it again.');
  }

  return sentences;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The sample rate that the capture requests and Opus encodes. */
const SAMPLE_RATE = 48000;

/**
 * The sample format that ffmpeg's ALSA input requests when no audio codec is
 * set before -i: S16_LE on little-endian hosts such as amd64 and arm64
 * (DEFAULT_CODEC_ID in libavdevice/alsa.h).
 */
const FFMPEG_SAMPLE_FORMAT = 'S16_LE';

/** The access type that ffmpeg's ALSA input sets (libavdevice/alsa.c). */
const FFMPEG_ACCESS = 'RW_INTERLEAVED';

export type MicrophoneChoice = {
  plugin: AlsaPlugin;
  /** The ALSA device name by card id, such as plughw:CARD=C920,DEV=0. */
  device: string;
  channels: 1 | 2;
  sampleRate: typeof SAMPLE_RATE;
  /** ffmpeg input options before -i: -f alsa -channels N -sample_rate 48000. */
  inputOptions: string[];
  explanation: string;
};

/**
 * Chooses the ALSA device name and ffmpeg options for a card's capture
 * device. ffmpeg's ALSA input sets the sample format and channel count
 * exactly and fails where the hardware lacks them. It sets the rate to the
 * nearest one, so a device without 48000 Hz would record at another rate.
 * Such devices go through `plughw`.
 */
export function chooseMicrophoneInput(cardId: string, device: number, params: AlsaHwParams): MicrophoneChoice {
  const mismatches: string[] = [];
  const unknown = params.formats.length === 0 && params.channels === null && params.rate === null;
  const channels = chooseChannels(params.channels);

  if (unknown) {
    mismatches.push('The hardware parameters are unknown.');
  } else {
    if (!params.formats.includes(FFMPEG_SAMPLE_FORMAT)) {
      mismatches.push(
        `The device records only ${params.formats.join(', ') || 'unlisted formats'}, ` +
          `and ffmpeg's ALSA input requests ${FFMPEG_SAMPLE_FORMAT}.`,
      );
    }
    if (params.access.length > 0 && !params.access.includes(FFMPEG_ACCESS)) {
      mismatches.push(`The device offers only ${params.access.join(', ')} access, and ffmpeg uses ${FFMPEG_ACCESS}.`);
    }
    if (params.rate === null) {
      mismatches.push('The hardware parameters list no sample rates.');
    } else if (!intervalContains(params.rate, SAMPLE_RATE)) {
      const offered = describeInterval(params.rate, 'Hz');

      mismatches.push(`The device does not record at ${SAMPLE_RATE} Hz (it offers ${offered}).`);
    }
    if (params.channels === null) {
      mismatches.push('The hardware parameters list no channel counts.');
    } else if (!intervalContains(params.channels, channels)) {
      mismatches.push(`The device records ${describeInterval(params.channels, 'channels')}, not 1 or 2.`);
    }
  }

  const plugin: AlsaPlugin = mismatches.length > 0 ? 'plughw' : 'hw';
  const name = alsaDeviceName(plugin, cardId, device);
  const channelText = `${channels} channel${channels === 1 ? '' : 's'} at ${SAMPLE_RATE} Hz`;
  const direct =
    `The device records ${FFMPEG_SAMPLE_FORMAT} with ${channelText}, as ffmpeg requests, ` +
    'so no conversion is needed.';
  const sentences =
    plugin === 'hw'
      ? [direct]
      : [...mismatches, `ALSA's plug layer converts to ${FFMPEG_SAMPLE_FORMAT} with ${channelText}.`];

  if (mayBeDuplicateCardId(cardId)) {
    sentences.push(
      `The card id ${cardId} may end in a suffix that the kernel adds when another card has the same id, ` +
        'so it can change after a reconnect or reboot.',
    );
  }

  return {
    plugin,
    device: name,
    channels,
    sampleRate: SAMPLE_RATE,
    // NOTE: FFmpeg releases after 5.1 deprecate the alsa input's -channels in favour of -ch_layout.
    inputOptions: ['-f', 'alsa', '-channels', String(channels), '-sample_rate', String(SAMPLE_RATE)],
    explanation: `${name}: ${sentences.join(' ')}`,
  };
}

/** Returns 2 where the device records stereo, 1 where it records only mono, else 2 for the plug layer to convert. */
function chooseChannels(channels: HwInterval | null): 1 | 2 {
  if (intervalContains(channels, 2)) return 2;
  if (intervalContains(channels, 1)) return 1;

  return 2;
}

function describeInterval(interval: HwInterval, unit: string): string {
  if (interval.min === interval.max) return `${interval.min} ${unit}`;

  const from = interval.openMin ? 'above' : 'from';
  const to = interval.openMax ? 'to below' : 'to';

  return `${from} ${interval.min} ${to} ${interval.max} ${unit}`;
}
