/** Microphone level in dBFS, from SILENCE_DB (digital silence) to 0. */
export type AudioLevel = { peakDb: number; rmsDb: number };

/** The level reported for digital silence (ffmpeg's "-inf"); JSON has no -Infinity. */
export const SILENCE_DB = -120;

/** The prefix ffmpeg puts before each line a filter logs, such as "[Parsed_ametadata_3 @ 0x55d0] ". */
const FILTER_LOG_PREFIX = /^\[Parsed_ametadata_\d+ @ [^\]]+\] /;

const PEAK_KEY = 'lavfi.astats.Overall.Peak_level=';
const RMS_KEY = 'lavfi.astats.Overall.RMS_level=';

function parseDb(text: string): number {
  const value = Number.parseFloat(text);

  return Number.isNaN(value) ? SILENCE_DB : Math.max(SILENCE_DB, value);
}

/** True for a line that ffmpeg's ametadata filter logged. */
export function isLevelLine(line: string): boolean {
  return FILTER_LOG_PREFIX.test(line);
}

/**
 * Reads the lines of ffmpeg's ametadata print output one at a time (with or
 * without the filter's log prefix) and returns a level each time a frame's
 * peak and RMS values are complete.
 */
export class AudioLevelParser {
  #peakDb: number | undefined;

  /** Returns a level when this line completes one, else undefined. */
  push(line: string): AudioLevel | undefined {
    const text = line.replace(FILTER_LOG_PREFIX, '').trim();

    if (text.startsWith('frame:')) {
      this.#peakDb = undefined;

      return undefined;
    }
    if (text.startsWith(PEAK_KEY)) {
      this.#peakDb = parseDb(text.slice(PEAK_KEY.length));

      return undefined;
    }
    if (text.startsWith(RMS_KEY) && this.#peakDb !== undefined) {
      const level = { peakDb: this.#peakDb, rmsDb: parseDb(text.slice(RMS_KEY.length)) };

      this.#peakDb = undefined;

      return level;
    }

    return undefined;
  }
}
