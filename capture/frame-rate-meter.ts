/**
 * Measures the frame rate a camera really delivers, from the progress lines
 * that the capture's ffmpeg writes to stderr (`-progress pipe:2`). The
 * capture encodes at a constant rate (`-fps_mode cfr`), so ffmpeg repeats
 * frames that the camera did not deliver and counts them as dup_frames. The
 * delivered count is frame - dup_frames + drop_frames.
 */

/** The requested and the delivered frame rate of a camera, in frames per second. */
export type FrameRateReading = { requested: number; delivered: number };

/** A camera that delivers less than this share of the requested rate is too slow. */
export const SLOW_SHARE = 0.9;

const PROGRESS_KEY =
  /^(frame|fps|stream_\d+_\d+_q|bitrate|total_size|out_time_us|out_time_ms|out_time|dup_frames|drop_frames|speed|progress)=/;

/** Returns whether a stderr line belongs to ffmpeg's -progress output. */
export function isProgressLine(line: string): boolean {
  return PROGRESS_KEY.test(line);
}

/** Returns whether the camera delivers more than 10% below the requested rate. */
export function isSlow(reading: FrameRateReading): boolean {
  return reading.delivered < reading.requested * SLOW_SHARE;
}

type Sample = { at: number; delivered: number };

export type FrameRateMeterOptions = {
  requestedFps: number;
  /** The span the rate is averaged over. */
  windowMs?: number;
  /** Readings start this long after (re)start, when the camera has settled. */
  warmupMs?: number;
};

/**
 * Turns progress blocks into a delivered frame rate averaged over a window.
 * push() returns a reading at the end of each block once the window is
 * full enough; reset() starts over for a restarted capture.
 */
export class FrameRateMeter {
  readonly #requested: number;
  readonly #windowMs: number;
  readonly #warmupMs: number;
  readonly #block = new Map<string, number>();
  #samples: Sample[] = [];
  #startedAt: number;

  constructor(options: FrameRateMeterOptions, now = Date.now()) {
    this.#requested = options.requestedFps;
    this.#windowMs = options.windowMs ?? 5000;
    this.#warmupMs = options.warmupMs ?? 3000;
    this.#startedAt = now;
  }

  reset(now = Date.now()): void {
    this.#samples = [];
    this.#block.clear();
    this.#startedAt = now;
  }

  /** Feeds one progress line; returns a reading when the line ends a block and enough time has passed. */
  push(line: string, now = Date.now()): FrameRateReading | undefined {
    const separator = line.indexOf('=');
    const key = line.slice(0, separator);
    const value = Number(line.slice(separator + 1).trim());

    if (key !== 'progress') {
      if (separator > 0 && Number.isFinite(value)) this.#block.set(key, value);

      return undefined;
    }

    const frame = this.#block.get('frame');

    if (frame === undefined || now - this.#startedAt < this.#warmupMs) return undefined;

    const delivered = frame - (this.#block.get('dup_frames') ?? 0) + (this.#block.get('drop_frames') ?? 0);

    this.#samples.push({ at: now, delivered });
    this.#samples = this.#samples.filter((sample) => now - sample.at <= this.#windowMs);

    const first = this.#samples[0]!;
    const span = now - first.at;

    // Half a window at least, so one late block does not swing the reading.
    if (span < this.#windowMs / 2) return undefined;

    return { requested: this.#requested, delivered: ((delivered - first.delivered) * 1000) / span };
  }
}
