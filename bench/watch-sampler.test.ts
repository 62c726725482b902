import { describe, expect, it } from 'vitest';
import { TIME_CODE } from '../capture/time-code.js';
import { timedFrames } from './watch-sampler.js';

/** Builds a frame displayed at displayedAt whose time code was drawn latencyMs earlier. */
function frame(displayedAt: number, latencyMs: number) {
  return { code: (displayedAt - latencyMs) % 2 ** TIME_CODE.bits, displayedAt, width: 1280 };
}

describe('timedFrames', () => {
  const displayedAt = 1_796_456_000_000;

  it('derives capture time and latency', () => {
    const [timed] = timedFrames([frame(displayedAt, 350)]);

    expect(timed?.latencyMs).toBe(350);
    expect(timed?.capturedAt).toBe(displayedAt - 350);
  });

  it('leaves out frames without a time code', () => {
    expect(timedFrames([{ code: null, displayedAt, width: 1280 }])).toEqual([]);
  });

  it('leaves out implausible latencies as misreads', () => {
    const timed = timedFrames([frame(displayedAt, 40_000), frame(displayedAt, 10 * 60_000)]);

    expect(timed.map((entry) => entry.latencyMs)).toEqual([40_000]);
  });
});
