/** Microphone level in dBFS; -Infinity for digital silence. */
export type AudioLevel = { peakDb: number; rmsDb: number };

const PEAK_KEY = 'lavfi.astats.Overall.Peak_level=';
const RMS_KEY = 'lavfi.astats.Overall.RMS_level=';

function parseDb(text: string): number {
  if (text === '-inf') return -Infinity;

  const value = Number.parseFloat(text);

  return Number.isNaN(value) ? -Infinity : value;
}

/**
 * Reads the lines of ffmpeg's ametadata print output one at a time and
 * returns a level each time a frame's peak and RMS values are complete.
 */
export class AudioLevelParser {
  #peakDb: number | undefined;

  /** Returns a level when this line completes one, else undefined. */
  push(line: string): AudioLevel | undefined {
    const text = line.trim();

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
