import { childPids, commandLine } from '../test/helpers/processes.js';
import { waitFor } from '../test/helpers/wait-for.js';
import { WeriftViewer } from '../test/helpers/werift-viewer.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { startLivePodium } from './live-podium.js';
import { MediasoupCensus, type CensusCounts } from './mediasoup-census.js';
import { residentMb } from './process-cpu.js';
import { round1 } from './statistics.js';

/** One viewer leaves and another joins this often, once the viewers are complete. */
const CHURN_INTERVAL_MS = 2000;
/** Memory is sampled this often. */
const SAMPLE_INTERVAL_MS = 10_000;
/** Start-up growth (caches, JIT, the first viewers), left out of the trend. */
const MAX_WARM_UP_MS = 60_000;

/** Memory at one moment, in MB. */
export type MemorySample = { atMs: number; nodeRss: number; nodeHeap: number; workerRss: number };

/** Returns the slope of a least-squares line through the points, in y units per x unit; 0 for fewer than two. */
export function slope(points: { x: number; y: number }[]): number {
  if (points.length < 2) return 0;

  const meanX = points.reduce((sum, point) => sum + point.x, 0) / points.length;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / points.length;
  const covariance = points.reduce((sum, point) => sum + (point.x - meanX) * (point.y - meanY), 0);
  const variance = points.reduce((sum, point) => sum + (point.x - meanX) ** 2, 0);

  return variance === 0 ? 0 : covariance / variance;
}

/** Names Podium's child processes by program: ffmpeg or mediasoup-worker, with a count each. */
function childProcessCounts(): Record<string, number> {
  const counts: Record<string, number> = {};

  for (const pid of childPids(process.pid)) {
    const name = (commandLine(pid) ?? '').includes('mediasoup-worker') ? 'mediasoup-worker' : (commandLine(pid) ?? '').split(' ')[0]!;

    counts[name] = (counts[name] ?? 0) + 1;
  }

  return counts;
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts).map(([name, count]) => `${name} ${count}`).join(', ');
}

/** Waits for a fixed time in the paced loop: the pacing is what the soak measures under. */
async function pause(ms: number): Promise<void> {
  const until = Date.now() + ms;

  await waitFor('the next step of the soak', () => Date.now() >= until, { timeoutMs: ms + 5000, intervalMs: Math.min(ms, 250) });
}

/**
 * Podium live for the given minutes while non-rendering WebRTC viewers
 * (werift) join and leave: PODIUM_BENCH_SOAK_VIEWERS at a time (default
 * 10), one replaced every 2 s. It samples Podium's and the workers' memory
 * and, after every viewer has left, compares the mediasoup objects and
 * child processes with those before the first viewer joined.
 */
export const soak: Benchmark = {
  name: 'soak',
  description: 'Podium live with WebRTC viewers joining and leaving: memory trend of Podium and the workers, leaked consumers or processes (reported only)',
  method:
    'Podium goes live with the built-in venue source. Non-rendering WebRTC viewers (werift, in the Node ' +
    'process) join through the watch page\'s signaling until PODIUM_BENCH_SOAK_VIEWERS (default 10) watch; ' +
    'then every 2 s the oldest leaves and a new one joins. Every 10 s the benchmark samples the Node ' +
    'process\'s RSS and heap and the workers\' RSS (/proc/<pid>/status); the trends are least-squares ' +
    'slopes after the first minute (a third of shorter runs). mediasoup\'s observer API counts the live ' +
    'transports and consumers, and /proc the child processes, before the first viewer and after the last left.',
  defaultMinutes: 30,
  async run({ minutes, progress }): Promise<BenchmarkResult> {
    const target = Number(process.env.PODIUM_BENCH_SOAK_VIEWERS ?? 10);

    if (!Number.isInteger(target) || target < 1) {
      throw new Error(`invalid PODIUM_BENCH_SOAK_VIEWERS "${process.env.PODIUM_BENCH_SOAK_VIEWERS}"; give a positive integer such as 10`);
    }

    const census = new MediasoupCensus();
    const { podium } = await startLivePodium();
    const viewers: WeriftViewer[] = [];
    const samples: MemorySample[] = [];
    const startedAt = Date.now();
    const runMs = minutes * 60_000;
    const warmUpMs = Math.min(MAX_WARM_UP_MS, runMs / 3);
    let joins = 0;
    let failedJoins = 0;
    let before: { census: CensusCounts; processes: Record<string, number> };
    let after: { census: CensusCounts; processes: Record<string, number> };

    const sample = () => {
      // With --expose-gc (npm run bench) the heap is measured without garbage that is only waiting for collection.
      (globalThis as { gc?: () => void }).gc?.();

      const workerRss = podium.podium.sfu.workerPids.reduce((sum, pid) => sum + residentMb(pid), 0);
      const memory = process.memoryUsage();

      samples.push({ atMs: Date.now() - startedAt, nodeRss: memory.rss / 2 ** 20, nodeHeap: memory.heapUsed / 2 ** 20, workerRss });
    };

    try {
      before = { census: census.counts(), processes: childProcessCounts() };

      let nextSample = Date.now();

      while (Date.now() - startedAt < runMs) {
        if (viewers.length >= target) viewers.shift()!.close();
        try {
          viewers.push(await WeriftViewer.join(podium.baseUrl));
          joins += 1;
        } catch (error) {
          failedJoins += 1;
          progress(`a viewer failed to join: ${(error as Error).message}`);
        }
        if (Date.now() >= nextSample) {
          sample();
          nextSample += SAMPLE_INTERVAL_MS;
          progress(`${Math.round((Date.now() - startedAt) / 1000)} s: ${joins} joins, Node ${round1(samples.at(-1)!.nodeRss)} MB, workers ${round1(samples.at(-1)!.workerRss)} MB`);
        }
        await pause(CHURN_INTERVAL_MS);
      }
      for (const viewer of viewers.splice(0)) viewer.close();
      await waitFor('Podium to close every viewer', () => podium.podium.sfu.viewersPerWorker().every((count) => count === 0), { timeoutMs: 30_000 });
      await waitFor('the viewers\' consumers to close', () => census.counts().consumers <= before.census.consumers, { timeoutMs: 30_000 }).catch(() => undefined);
      after = { census: census.counts(), processes: childProcessCounts() };
    } finally {
      for (const viewer of viewers) viewer.close();
      census.stop();
      await podium.close();
    }

    return summarizeSoak({ samples, warmUpMs, joins, failedJoins, before, after, runMs: Date.now() - startedAt });
  },
};

/** Turns the soak's samples and counts into the report. */
export function summarizeSoak(input: {
  samples: MemorySample[];
  warmUpMs: number;
  joins: number;
  failedJoins: number;
  before: { census: CensusCounts; processes: Record<string, number> };
  after: { census: CensusCounts; processes: Record<string, number> };
  /** How long the viewers joined and left, in ms. */
  runMs: number;
}): BenchmarkResult {
  const { samples, warmUpMs, before, after } = input;
  const settled = samples.filter((entry) => entry.atMs >= warmUpMs);
  // Without two samples after the warm-up there is no trend: NaN, which the report marks as not measured.
  const trend = (key: 'nodeRss' | 'nodeHeap' | 'workerRss') =>
    settled.length < 2 ? Number.NaN : Math.round(slope(settled.map((entry) => ({ x: entry.atMs / 60_000, y: entry[key] }))) * 100) / 100;
  const processCount = (counts: Record<string, number>) => Object.values(counts).reduce((sum, count) => sum + count, 0);
  const first = settled[0];
  const last = settled.at(-1);
  const leaked = (key: keyof CensusCounts) => after.census[key] - before.census[key];

  return {
    metrics: [
      { name: 'Node RSS trend', value: trend('nodeRss'), unit: 'MB/min' },
      { name: 'Node heap trend', value: trend('nodeHeap'), unit: 'MB/min' },
      { name: 'worker RSS trend', value: trend('workerRss'), unit: 'MB/min' },
      { name: 'viewers joined', value: input.joins, unit: '' },
      { name: 'failed joins', value: input.failedJoins, unit: '' },
      { name: 'consumers left after the viewers', value: leaked('consumers'), unit: '' },
      { name: 'transports left after the viewers', value: leaked('transports'), unit: '' },
      { name: 'child processes added', value: processCount(after.processes) - processCount(before.processes), unit: '' },
    ],
    details: [
      `${samples.length} memory samples, ${settled.length} after ${Math.round(warmUpMs / 1000)} s of warm-up; trends are least-squares slopes over those`,
      'the werift viewers run in the Node process with Podium, so its memory includes theirs',
      `${input.joins} joins in ${round1(input.runMs / 60_000)} min: ${round1(input.joins / (input.runMs / 60_000))} a minute`,
      first && last
        ? `Node RSS ${round1(first.nodeRss)} -> ${round1(last.nodeRss)} MB, heap ${round1(first.nodeHeap)} -> ${round1(last.nodeHeap)} MB, workers ${round1(first.workerRss)} -> ${round1(last.workerRss)} MB`
        : 'too short for a trend: no sample after the warm-up',
      `mediasoup objects before the first viewer: ${formatCounts(before.census)}; after the last left: ${formatCounts(after.census)}`,
      `child processes before: ${formatCounts(before.processes)}; after: ${formatCounts(after.processes)}`,
    ],
  };
}
