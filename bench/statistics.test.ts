import { describe, expect, it } from 'vitest';
import { metTargets } from './benchmark.js';
import { PODIUM_RESTART, unitRestartDelayMs } from './podium-restart.js';
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
    expect(value('Podium restart: WebRTC median')).toBeUndefined();
  });

  it('adds the restarts of Podium with the time until the event was live', () => {
    const restart = { fault: PODIUM_RESTART, hlsMs: 9000, latencyBeforeMs: 400, listeningMs: 2600 };
    const result = summarizeRecoveries(
      [{ fault: 'compositor kill', webRtcMs: 3000, hlsMs: 4000, latencyBeforeMs: 500 }],
      [
        { ...restart, webRtcMs: 7000, liveMs: 4000 },
        { ...restart, webRtcMs: 6000, liveMs: 5000 },
        { ...restart, webRtcMs: 8000, liveMs: 3000 },
      ],
    );
    const value = (name: string) => result.metrics.find((metric) => metric.name === name)?.value;

    expect(value('compositor kill: WebRTC median')).toBe(3000);
    expect(value('Podium restart: WebRTC median')).toBe(7000);
    expect(value('Podium restart: WebRTC max')).toBe(8000);
    expect(value('Podium restart: event live median')).toBe(4000);
    expect(result.details.filter((line) => line.startsWith('Podium restart: listening 2600 ms'))).toHaveLength(3);
  });
});

describe('unitRestartDelayMs', () => {
  it('reads RestartSec of the unit in seconds, with or without the unit s', () => {
    expect(unitRestartDelayMs('[Service]\nRestart=on-failure\nRestartSec=2\n')).toBe(2000);
    expect(unitRestartDelayMs('[Service]\nRestartSec=1.5s\n')).toBe(1500);
  });

  it('names the missing setting', () => {
    expect(() => unitRestartDelayMs('[Service]\nRestart=always\n')).toThrow(/RestartSec/);
  });
});

describe('metTargets', () => {
  const result = (value: number, max?: number) => ({ metrics: [{ name: 'latency', value, unit: 'ms', max }], details: [] });

  it('passes a value within its target', () => {
    expect(metTargets(result(40, 45))).toBe(true);
    expect(metTargets(result(4000))).toBe(true);
  });

  it('fails a value over its target', () => {
    expect(metTargets(result(46, 45))).toBe(false);
  });

  it('fails a metric without samples', () => {
    expect(metTargets(result(Number.NaN))).toBe(false);
    expect(metTargets(result(Number.NaN, 45))).toBe(false);
  });
});
