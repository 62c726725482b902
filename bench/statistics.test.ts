import { describe, expect, it } from 'vitest';
import { summarizeRecoveries } from './recovery.js';
import { slope } from './soak.js';
import { percentile } from './statistics.js';
import { summarizeStarts } from './time-to-live.js';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([7], 95)).toBe(7);
  });

  it('returns NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('slope', () => {
  it('fits a rising line', () => {
    expect(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBe(2);
  });

  it('is zero for one point', () => {
    expect(slope([{ x: 3, y: 4 }])).toBe(0);
  });
});

describe('summarizeStarts', () => {
  it('reports median and max per step', () => {
    const result = summarizeStarts([
      { live: 1000, webRtcFrame: 2000, hlsSegment: 5000, hlsFrame: 6000 },
      { live: 1200, webRtcFrame: 2600, hlsSegment: 5400, hlsFrame: 6100 },
      { live: 1100, webRtcFrame: 2200, hlsSegment: 7000, hlsFrame: 7500 },
    ]);
    const value = (name: string) => result.metrics.find((metric) => metric.name === name)?.value;

    expect(value('first WebRTC frame, median')).toBe(2200);
    expect(value('first WebRTC frame, max')).toBe(2600);
    expect(value('first playable HLS segment, max')).toBe(7000);
  });
});

describe('summarizeRecoveries', () => {
  it('groups by fault and path', () => {
    const result = summarizeRecoveries([
      { fault: 'compositor kill', webRtcMs: 3000, hlsMs: 4000, latencyBeforeMs: 500 },
      { fault: 'camera capture kill', webRtcMs: 1500, hlsMs: 2500, latencyBeforeMs: 500 },
      { fault: 'compositor kill', webRtcMs: 5000, hlsMs: 4200, latencyBeforeMs: 500 },
    ]);
    const value = (name: string) => result.metrics.find((metric) => metric.name === name)?.value;

    expect(value('compositor kill: WebRTC median')).toBe(3000);
    expect(value('compositor kill: WebRTC max')).toBe(5000);
    expect(value('camera capture kill: HLS median')).toBe(2500);
  });
});
