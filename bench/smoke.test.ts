import { describe, expect, it } from 'vitest';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { avSyncDrift } from './av-sync-drift.js';
import { glassToGlass } from './glass-to-glass.js';
import { pipelineCost } from './pipeline-cost.js';
import { recovery } from './recovery.js';
import { soak } from './soak.js';
import { timeToLive } from './time-to-live.js';
import { viewersPerCore } from './viewers-per-core.js';

/** Six seconds of each benchmark: enough to exercise the harness, far too short for figures. */
const SMOKE_MINUTES = 0.1;

async function runBriefly(benchmark: Benchmark, minutes = SMOKE_MINUTES): Promise<BenchmarkResult> {
  return benchmark.run({ minutes, progress: () => undefined });
}

function metric(result: BenchmarkResult, name: string): number | undefined {
  return result.metrics.find((entry) => entry.name === name)?.value;
}

/** Checks that every metric is a number; timings are never held against a bound here. */
function expectNumbers(result: BenchmarkResult): void {
  expect(result.metrics.length).toBeGreaterThan(0);
  for (const entry of result.metrics) expect(Number.isFinite(entry.value), `${entry.name} = ${entry.value}`).toBe(true);
}

// Each runs Podium with the real worker, ffmpeg and (for most) headless
// Chromium; the built web pages in dist/web must exist (npm run build).
describe('benchmark harness smoke run', () => {
  it('glass-to-glass reads time codes and beeps', async () => {
    const result = await runBriefly(glassToGlass);

    expectNumbers(result);
    expect(metric(result, 'WebRTC video samples')).toBeGreaterThan(0);
    expect(metric(result, 'HLS video samples')).toBeGreaterThan(0);
    expect(metric(result, 'WebRTC audio samples')).toBeGreaterThan(0);
  }, 300_000);

  it('time-to-live times one start', async () => {
    const result = await runBriefly(timeToLive);

    expectNumbers(result);
    expect(metric(result, 'first WebRTC frame, median')).toBeGreaterThan(0);
    expect(metric(result, 'first playable HLS segment, median')).toBeGreaterThan(0);
  }, 300_000);

  it('pipeline-cost measures both pipelines', async () => {
    const result = await runBriefly(pipelineCost);

    expectNumbers(result);
    expect(metric(result, 'Podium pipeline CPU')).toBeGreaterThan(0);
    expect(metric(result, 'plain ffmpeg CPU')).toBeGreaterThan(0);
    expect(result.details.join('\n')).toContain('ffmpeg compositor');
  }, 300_000);

  it('soak churns viewers and finds no leaks', async () => {
    // Three viewers, so that some leave and others join; 30 s give memory samples after the warm-up.
    process.env.PODIUM_BENCH_SOAK_VIEWERS = '3';
    try {
      const result = await runBriefly(soak, 0.5);

      expectNumbers(result);
      expect(metric(result, 'viewers joined')).toBeGreaterThan(3);
      expect(metric(result, 'consumers left after the viewers')).toBe(0);
      expect(metric(result, 'transports left after the viewers')).toBe(0);
      expect(metric(result, 'child processes added')).toBe(0);
    } finally {
      delete process.env.PODIUM_BENCH_SOAK_VIEWERS;
    }
  }, 300_000);

  // Four recoveries, each allowed a minute on a busy machine, and two Podium starts.
  it('recovery times each kill and a restart of Podium', async () => {
    const result = await runBriefly(recovery);

    expectNumbers(result);
    expect(metric(result, 'compositor kill: WebRTC median')).toBeGreaterThan(0);
    expect(metric(result, 'camera capture kill: HLS median')).toBeGreaterThan(0);
    expect(metric(result, 'media worker kill: WebRTC median')).toBeGreaterThan(0);
    expect(metric(result, 'Podium restart: WebRTC median')).toBeGreaterThan(0);
    expect(metric(result, 'Podium restart: HLS median')).toBeGreaterThan(0);
  }, 600_000);

  it('av-sync-drift pairs flashes with beeps after the warm-up', async () => {
    // The report leaves out the first 20 s, so this one runs 40 s.
    const result = await runBriefly(avSyncDrift, 40 / 60);

    expectNumbers(result);
    expect(metric(result, 'flash-beep pairs')).toBeGreaterThan(5);
  }, 300_000);

  it('viewers-per-core measures the idle step and then joins viewers', async () => {
    process.env.PODIUM_BENCH_VIEWERS = '5';
    try {
      const result = await runBriefly(viewersPerCore);

      expectNumbers(result);
      expect(result.details.some((line) => /^\s*5\s+10\s/.test(line))).toBe(true);
    } finally {
      delete process.env.PODIUM_BENCH_VIEWERS;
    }
  }, 300_000);
});
