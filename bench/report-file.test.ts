import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Benchmark } from './benchmark.js';
import { writeReportFile } from './report-file.js';

const benchmark = (name: string): Benchmark => ({
  name,
  description: `measures ${name}`,
  method: `the method of ${name}`,
  defaultMinutes: 10,
  run: async () => ({ metrics: [], details: [] }),
});

describe('writeReportFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podium-bench-report-'));
  const path = join(dir, 'benchmarks.md');
  const first = benchmark('first');
  const second = benchmark('second');

  afterEach(() => rmSync(path, { force: true }));

  it('writes figures, method, machine and date', () => {
    writeReportFile(path, [first, second], [
      { benchmark: first, minutes: 2, startedAt: new Date('2026-12-04T23:00:00Z'), machine: 'test machine', result: { metrics: [{ name: 'latency', value: 12.5, unit: 'ms', max: 50 }], details: ['a detail'] } },
    ]);

    const text = readFileSync(path, 'utf8');

    expect(text).toContain('| latency | 12.5 ms | <= 50 ms |');
    expect(text).toContain('Method: the method of first');
    expect(text).toContain('Machine: test machine.');
    expect(text).toContain('Run: 2026-12-04 23:00 UTC, 2 min (shortened from 10).');
    expect(text).toContain('a detail');
    expect(text).toContain('Quote a figure only from a section that ran for its full duration');
    expect(text).not.toContain('## second');
  });

  it('gives the start load, missing values and escaped names', () => {
    writeReportFile(path, [first], [
      {
        benchmark: first,
        minutes: 10,
        startedAt: new Date('2026-12-05T08:00:00Z'),
        machine: 'm',
        loadAtStart: '0.4, 0.9, 1.8 (1, 5, 15 min)',
        result: {
          metrics: [
            { name: 'latency', value: Number.NaN, unit: 'ms' },
            { name: 'max |offset|', value: 30, unit: 'ms', max: 45 },
          ],
          details: [],
        },
      },
    ]);

    const text = readFileSync(path, 'utf8');

    expect(text).toContain('Run: 2026-12-05 08:00 UTC, 10 min; load average at the start 0.4, 0.9, 1.8 (1, 5, 15 min).');
    expect(text).toContain('| latency | not measured (no samples) |  |');
    expect(text).toContain('| max \\|offset\\| | 30 ms | <= 45 ms |');
  });

  it('keeps sections of benchmarks not run', () => {
    writeReportFile(path, [first, second], [
      { benchmark: first, minutes: 10, startedAt: new Date(), machine: 'm', result: { metrics: [{ name: 'old', value: 1, unit: 'ms' }], details: [] } },
      { benchmark: second, minutes: 10, startedAt: new Date(), machine: 'm', error: 'worker died' },
    ]);
    writeReportFile(path, [first, second], [
      { benchmark: first, minutes: 10, startedAt: new Date(), machine: 'm', result: { metrics: [{ name: 'new', value: 2, unit: 'ms' }], details: [] } },
    ]);

    const text = readFileSync(path, 'utf8');

    expect(text).toContain('| new | 2 ms |');
    expect(text).not.toContain('| old |');
    expect(text).toContain('The run failed: worker died.');
    expect(text.indexOf('## first')).toBeLessThan(text.indexOf('## second'));
  });
});
