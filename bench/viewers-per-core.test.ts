import { describe, expect, it } from 'vitest';
import { summarize, viewerSteps, type Step } from './viewers-per-core.js';

describe('viewerSteps', () => {
  it('doubles from 5 up to max', () => {
    expect(viewerSteps(80)).toEqual([0, 5, 10, 20, 40, 80]);
  });

  it('ends at a max between doublings', () => {
    expect(viewerSteps(30)).toEqual([0, 5, 10, 20, 30]);
  });
});

describe('summarize', () => {
  const step = (viewers: number, workerCpu: number, overrides: Partial<Step> = {}): Step => ({
    viewers,
    workerCpu,
    workerCoreBusy: workerCpu,
    clientCoreBusy: 0.5,
    delivery: 1,
    forwardedPerSecond: viewers * 300,
    streamKbps: 2600,
    load: 1,
    ...overrides,
  });
  const metric = (result: ReturnType<typeof summarize>, name: string) =>
    result.metrics.find((entry) => entry.name === name)?.value;

  it('derives CPU per consumer from idle and largest step', () => {
    const result = summarize([step(0, 0.02), step(10, 0.06), step(20, 0.1)], 10_000, 2500);

    // (10% - 2%) over 40 consumers: 0.2% of a core each, 98% left for 490.
    expect(metric(result, 'worker CPU per consumer')).toBe(0.2);
    expect(metric(result, 'consumers per core (estimate)')).toBe(490);
    // 0.08 s of CPU a second over 6000 packets a second.
    expect(metric(result, 'worker CPU per forwarded packet')).toBe(13.3);
    // 260 video and 50 audio packets a second per viewer, 155 per consumer, 13.3 µs each.
    expect(metric(result, 'consumers per core at 2500 kbit/s')).toBe(474);
  });

  it('blames the client core when it is busy', () => {
    const result = summarize([step(0, 0.02), step(10, 0.06), step(20, 0.1, { clientCoreBusy: 0.97, delivery: 0.7 })], 10_000, 2500);

    expect(metric(result, 'largest step without saturation')).toBe(10);
    expect(result.details.join('\n')).toContain('saturated at 20 viewers by the client core');
  });

  it('blames the worker when it runs out', () => {
    const result = summarize([step(0, 0.02), step(10, 0.95)], 10_000, 2500);

    expect(result.details.join('\n')).toContain('saturated at 10 viewers by the worker');
  });

  it('says when no core explains the loss', () => {
    const result = summarize([step(0, 0.02), step(10, 0.1, { delivery: 0.9 })], 10_000, 2500);

    expect(result.details.join('\n')).toContain('with delivery below 95% and no core saturated');
  });
});
