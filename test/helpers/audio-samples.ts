import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SAMPLE_RATE = 48000;

/**
 * Decodes the left channel of a file or URL to 32-bit float samples at
 * 48 kHz. One channel, not a downmix: ffmpeg's stereo-to-mono downmix adds
 * both at 0.707 each, which would lift a peak by 3 dB.
 */
export async function decodeSamples(input: string): Promise<Float32Array> {
  const { stdout } = await run(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-i', input, '-vn', '-af', 'pan=mono|c0=c0', '-ar', String(SAMPLE_RATE), '-f', 'f32le', 'pipe:1'],
    { encoding: 'buffer', timeout: 20_000, maxBuffer: 64 * 1024 * 1024 },
  );

  return new Float32Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 4));
}

/**
 * Returns the amplitude of one frequency in the samples (Goertzel's algorithm): about
 * the sine's peak amplitude for a steady tone, near 0 where it is absent.
 */
export function toneAmplitude(samples: Float32Array, frequency: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / SAMPLE_RATE);
  let previous = 0;
  let beforePrevious = 0;

  for (const sample of samples) {
    const current = sample + coefficient * previous - beforePrevious;

    beforePrevious = previous;
    previous = current;
  }

  const power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;

  return (2 * Math.sqrt(Math.max(power, 0))) / samples.length;
}

/**
 * Returns how loud one frequency is through most of the samples: the median
 * of its amplitude in Hann-windowed blocks of blockMs. Unlike toneAmplitude()
 * over the whole run, a tone stays at its level when its phase jumps, as it
 * does where a jitter buffer or a resampler drops or inserts a few samples.
 * A tone heard in fewer than half of the blocks measures near 0.
 */
export function toneLevel(samples: Float32Array, frequency: number, blockMs = 100): number {
  const size = Math.round((SAMPLE_RATE * blockMs) / 1000);
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / SAMPLE_RATE);
  const window = Float32Array.from({ length: size }, (_, index) => 0.5 - 0.5 * Math.cos((2 * Math.PI * index) / size));
  const levels: number[] = [];

  for (let start = 0; start + size <= samples.length; start += size) {
    let previous = 0;
    let beforePrevious = 0;

    for (let index = 0; index < size; index++) {
      const current = samples[start + index]! * window[index]! + coefficient * previous - beforePrevious;

      beforePrevious = previous;
      previous = current;
    }

    const power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;

    // The Hann window halves a steady sine's sum, hence 4 where toneAmplitude() has 2.
    levels.push((4 * Math.sqrt(Math.max(power, 0))) / size);
  }
  if (levels.length === 0) return 0;
  levels.sort((a, b) => a - b);

  return levels[Math.floor(levels.length / 2)]!;
}

/** Returns the largest absolute sample value. */
export function peak(samples: Float32Array): number {
  let largest = 0;

  for (const sample of samples) largest = Math.max(largest, Math.abs(sample));

  return largest;
}
