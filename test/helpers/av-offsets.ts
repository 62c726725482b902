/** Mean luma (0 to 255) above which a decoded frame counts as the white flash. */
const FLASH_LUMA = 128;

/** A beep further than this from the predicted time belongs to no flash. */
const MAX_PAIRING_ERROR_S = 0.4;

export type AvEvent = { kind: 'flash' | 'beep'; time: number };

/** One flash and the beep of the same hall event, times in seconds of the decoded output. */
export type AvOffset = {
  flashTime: number;
  beepTime: number;
  /** beepTime - flashTime in milliseconds: positive when the audio is late. */
  offsetMs: number;
};

/**
 * Builds the filter graph of the probe: the mean luma of each decoded frame
 * (signalstats YAVG, printed by metadata) and the end of each silence
 * (silencedetect), which is the onset of a beep.
 */
export function probeFilterGraph(): string {
  return (
    '[0:v:0]signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG[v];' +
    '[0:a:0]silencedetect=noise=-30dB:duration=0.3[a]'
  );
}

/**
 * Reads the probe ffmpeg's stderr lines and returns flash onsets (the first
 * bright frame after a dark one) and beep onsets, in output timestamps.
 */
export class AvEventParser {
  #framePts: number | undefined;
  #bright = false;

  push(line: string): AvEvent | undefined {
    const frame = /\bpts_time:(-?[\d.]+)/.exec(line);

    if (frame && line.includes('frame:')) {
      this.#framePts = Number(frame[1]);

      return undefined;
    }

    const luma = /lavfi\.signalstats\.YAVG=([\d.]+)/.exec(line);

    if (luma && this.#framePts !== undefined) {
      const bright = Number(luma[1]) > FLASH_LUMA;
      const onset = bright && !this.#bright;

      this.#bright = bright;

      return onset ? { kind: 'flash', time: this.#framePts } : undefined;
    }

    const silenceEnd = /silence_end: (-?[\d.]+)/.exec(line);

    return silenceEnd ? { kind: 'beep', time: Number(silenceEnd[1]) } : undefined;
  }
}

/**
 * Pairs each flash with the beep of the same hall event. Events come once a
 * second, so pairing each flash with the nearest beep fails beyond half a
 * second of offset. The tracker instead expects each offset near the last
 * one, which changes by at most 30 ms a second at 3% drift, and so follows
 * the offset past a whole second.
 */
export class AvOffsetTracker {
  readonly offsets: AvOffset[] = [];
  readonly #flashes: number[] = [];
  readonly #beeps: number[] = [];
  #expectedOffset = 0;

  /** Adds an event and returns the offsets it completed. */
  push(event: AvEvent): AvOffset[] {
    (event.kind === 'flash' ? this.#flashes : this.#beeps).push(event.time);

    return this.#pairReady();
  }

  #pairReady(): AvOffset[] {
    const paired: AvOffset[] = [];

    while (this.#flashes.length > 0) {
      const flashTime = this.#flashes[0]!;
      const expected = flashTime + this.#expectedOffset;
      const latestBeep = this.#beeps.at(-1);

      // Wait until a beep later than the expected one has arrived, so the nearest is known.
      if (latestBeep === undefined || latestBeep < expected + MAX_PAIRING_ERROR_S) break;
      this.#flashes.shift();

      while (this.#beeps.length > 0 && this.#beeps[0]! < expected - MAX_PAIRING_ERROR_S) this.#beeps.shift();

      const beepTime = this.#beeps[0];

      if (beepTime === undefined || beepTime > expected + MAX_PAIRING_ERROR_S) continue;
      this.#beeps.shift();
      this.#expectedOffset = beepTime - flashTime;
      paired.push({ flashTime, beepTime, offsetMs: Math.round((beepTime - flashTime) * 1000) });
    }
    this.offsets.push(...paired);

    return paired;
  }
}

/**
 * Splits offsets into those of the first seconds of output, while the
 * captures and the packager start and their resamplers settle, and the rest.
 */
export function splitWarmUp(offsets: AvOffset[], warmUpSeconds: number): { warmUp: AvOffset[]; settled: AvOffset[] } {
  const end = (offsets[0]?.flashTime ?? 0) + warmUpSeconds;

  return {
    warmUp: offsets.filter((offset) => offset.flashTime < end),
    settled: offsets.filter((offset) => offset.flashTime >= end),
  };
}

/**
 * Returns the median offset of each run of `window` consecutive pairs, in
 * milliseconds. A viewer perceives the offset of several seconds, not of one
 * frame, and on a busy machine a single frame can arrive a frame or two late.
 */
export function rollingMedians(offsets: AvOffset[], window: number): number[] {
  const medians: number[] = [];

  for (let end = window; end <= offsets.length; end += 1) {
    const sorted = offsets
      .slice(end - window, end)
      .map((offset) => offset.offsetMs)
      .sort((a, b) => a - b);
    const middle = Math.floor(window / 2);

    medians.push(window % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2);
  }

  return medians;
}

export type OffsetSummary = {
  pairs: number;
  maxAbsMs: number;
  finalMs: number;
  meanMs: number;
};

/** Returns the count, largest absolute, last and mean offset; undefined without offsets. */
export function summarizeOffsets(offsets: AvOffset[]): OffsetSummary | undefined {
  const last = offsets.at(-1);

  if (!last) return undefined;

  const values = offsets.map((offset) => offset.offsetMs);

  return {
    pairs: values.length,
    maxAbsMs: Math.max(...values.map(Math.abs)),
    finalMs: last.offsetMs,
    meanMs: Math.round(values.reduce((sum, value) => sum + value, 0) / values.length),
  };
}
