import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeTimeCode, TIME_CODE, timeCodeAge, timeCodeFilter, timeCodeLevels } from './time-code.js';

const run = promisify(execFile);
const WIDTH = 1280;
const HEIGHT = 720;

/** Returns the Gray code block levels (255 white, 0 black) of a time in ms, references first. */
function levelsOf(milliseconds: number): number[] {
  const value = milliseconds % 2 ** TIME_CODE.bits;
  const gray = value ^ (value >> 1);
  const levels = [255, 0];

  for (let bit = TIME_CODE.bits - 1; bit >= 0; bit--) levels.push((gray >> bit) & 1 ? 255 : 0);

  return levels;
}

describe('decodeTimeCode', () => {
  it('decodes each Gray-coded time', () => {
    for (const milliseconds of [0, 1, 2, 1023, 1024, 524_287, 524_288, 2 ** 20 - 1]) {
      expect(decodeTimeCode(levelsOf(milliseconds), TIME_CODE.bits)).toBe(milliseconds);
    }
  });

  it('rejects a picture without reference blocks', () => {
    const levels = levelsOf(1000);

    levels[0] = 120;
    expect(decodeTimeCode(levels, TIME_CODE.bits)).toBeUndefined();
  });
});

describe('timeCodeAge', () => {
  it('counts across the wrap', () => {
    expect(timeCodeAge(2 ** 20 - 10, 2 ** 20 * 7 + 30, 20)).toBe(40);
    expect(timeCodeAge(500, 2 ** 20 * 3 + 750, 20)).toBe(250);
  });
});

describe('timeCodeFilter', () => {
  it('draws the wall-clock time into frames', async () => {
    const frames = 5;
    const startedAt = Date.now();
    const { stdout } = await run(
      'ffmpeg',
      [
        '-hide_banner', '-loglevel', 'error', '-re',
        '-f', 'lavfi', '-i', `testsrc2=size=${WIDTH}x${HEIGHT}:rate=10`,
        '-vf', timeCodeFilter(), '-frames:v', String(frames),
        '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1',
      ],
      { encoding: 'buffer', maxBuffer: WIDTH * HEIGHT * frames + 1024, timeout: 30_000 },
    );
    const endedAt = Date.now();
    const codes = Array.from({ length: frames }, (_, index) =>
      decodeTimeCode(timeCodeLevels(stdout.subarray(index * WIDTH * HEIGHT), WIDTH), TIME_CODE.bits),
    );

    expect(stdout.length).toBe(WIDTH * HEIGHT * frames);
    for (const code of codes) {
      expect(code).toBeDefined();
      // Each frame was drawn between the start of ffmpeg and its end.
      expect(timeCodeAge(code!, endedAt, TIME_CODE.bits)).toBeLessThanOrEqual(endedAt - startedAt);
    }
    // -re paces the 10 frames a second in real time: the codes rise by about 100 ms.
    expect(timeCodeAge(codes[0]!, codes.at(-1)!, TIME_CODE.bits)).toBeGreaterThan(200);
  });
});
