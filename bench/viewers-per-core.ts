import { availableParallelism, loadavg } from 'node:os';
import { watchSources } from '../appliance/sfu/watch-sources.js';
import { startTestPodium, type TestPodium } from '../test/helpers/test-podium.js';
import { waitFor } from '../test/helpers/wait-for.js';
import { WeriftViewer } from '../test/helpers/werift-viewer.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { BENCH_CONFIG } from './live-podium.js';
import { CoreMeter, CpuMeter, pinToCore, unpin } from './process-cpu.js';

/** mediasoup's own figure: a worker typically handles over about 500 consumers (mediasoup.org, v3 "Scalability"). */
const MEDIASOUP_CONSUMERS_PER_CORE = 500;
/** Time after a step's viewers joined before its measurement window opens. */
const SETTLE_MS = 5000;
/** Each viewer consumes the program's video and audio. */
const CONSUMERS_PER_VIEWER = 2;
/** Above this share of a core, the worker or a core counts as saturated. */
const SATURATED_CPU = 0.9;
/** Below this share of the producers' packets a viewer counts as starved. */
const MIN_DELIVERY = 0.95;
/** The capture's largest RTP packet (capture/venue-source-args.ts) and Opus's packets per second (20 ms frames). */
const VIDEO_PACKET_BYTES = 1200;
const AUDIO_PACKETS_PER_SECOND = 50;
const WORKER_CORE = 0;
const CLIENT_CORE = 1;

/** One measured step of the benchmark. */
export type Step = {
  viewers: number;
  /** The worker process's CPU, as a share of one core. */
  workerCpu: number;
  /** Busy share of each core, with every process on it (other load included). */
  workerCoreBusy: number;
  clientCoreBusy: number;
  /** The worst viewer's received packets over the producers' packets in the window. */
  delivery: number;
  /** Packets the viewers received in the window, per second, all viewers together. */
  forwardedPerSecond: number;
  /** The watched sources' bitrate at the end of the window: what each viewer receives. */
  streamKbps: number;
  /** The machine's 1-minute load average at the end of the window. */
  load: number;
};

/** Viewer counts to measure: 0, then doubling from 5 up to max, and max itself. */
export function viewerSteps(max: number): number[] {
  const steps = [0];

  for (let count = 5; count < max; count *= 2) steps.push(count);
  if (max > 0) steps.push(max);

  return steps;
}

/**
 * Returns the packets so far of the sources a watch page receives (the
 * program, or the venue camera and microphone before it), and their current
 * bitrate in kbit/s.
 */
async function produced(podium: TestPodium): Promise<{ packets: number; kbps: number }> {
  const room = podium.podium.controller.room!;
  const stats = await Promise.all(watchSources(room, podium.podium.controller.liveEvent?.program?.state === 'live').map((source) => room.producerStats(source)));

  return {
    packets: stats.reduce((sum, entry) => sum + (entry?.packetCount ?? 0), 0),
    kbps: Math.round(stats.reduce((sum, entry) => sum + (entry?.bitrate ?? 0), 0) / 1000),
  };
}

function receivedPackets(viewer: WeriftViewer): number {
  return viewer.received.audio + viewer.received.video;
}

/** Joins viewers until count, five at a time, waiting until each new one receives video. */
async function joinUpTo(podium: TestPodium, viewers: WeriftViewer[], count: number): Promise<void> {
  while (viewers.length < count) {
    const batch = Array.from({ length: Math.min(5, count - viewers.length) }, () => WeriftViewer.join(podium.baseUrl));

    viewers.push(...(await Promise.all(batch)));
  }
  await waitFor('video at every viewer', () => viewers.every((viewer) => viewer.received.video > 0), {
    timeoutMs: 60_000,
    intervalMs: 250,
  });
}

/** Measures one step over windowMs: CPU of the worker and of both cores, and every viewer's delivery. */
async function measureStep(podium: TestPodium, viewers: WeriftViewer[], windowMs: number): Promise<Step> {
  const workerMeter = new CpuMeter(podium.podium.sfu.workerPid);
  const workerCore = new CoreMeter(WORKER_CORE);
  const clientCore = new CoreMeter(CLIENT_CORE);
  const before = await produced(podium);
  const receivedBefore = viewers.map(receivedPackets);
  const startedAt = performance.now();
  const until = Date.now() + windowMs;

  // The window is the measurement itself: a fixed time over which CPU and packets are counted.
  await waitFor('the measurement window to end', () => Date.now() >= until, { timeoutMs: windowMs + 5000, intervalMs: 200 });

  const seconds = (performance.now() - startedAt) / 1000;
  const workerCpu = workerMeter.sample();
  const workerCoreBusy = workerCore.sample();
  const clientCoreBusy = clientCore.sample();
  const after = await produced(podium);
  const packets = after.packets - before.packets;
  const delivered = viewers.map((viewer, index) => receivedPackets(viewer) - receivedBefore[index]!);
  const delivery = viewers.length === 0 || packets === 0 ? 1 : Math.min(...delivered) / packets;
  const forwardedPerSecond = delivered.reduce((sum, count) => sum + count, 0) / seconds;

  return {
    viewers: viewers.length,
    workerCpu,
    workerCoreBusy,
    clientCoreBusy,
    delivery,
    forwardedPerSecond,
    streamKbps: after.kbps,
    load: loadavg()[0]!,
  };
}

function isSaturated(step: Step): boolean {
  return step.workerCpu >= SATURATED_CPU || step.delivery < MIN_DELIVERY;
}

function stepLine(step: Step): string {
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`.padStart(8);

  return (
    `${String(step.viewers).padStart(7)} ${String(step.viewers * CONSUMERS_PER_VIEWER).padStart(9)} ` +
    `${percent(step.workerCpu)} ${percent(step.workerCoreBusy)} ${percent(step.clientCoreBusy)} ` +
    `${percent(step.delivery)} ${String(Math.round(step.forwardedPerSecond)).padStart(9)} ` +
    `${String(step.streamKbps).padStart(7)} ${step.load.toFixed(1).padStart(5)}`
  );
}

/** Describes why the saturated step starved its viewers, as far as the meters tell. */
function saturationCause(step: Step): string {
  if (step.workerCpu >= SATURATED_CPU) return 'by the worker';
  if (step.clientCoreBusy >= SATURATED_CPU) {
    return 'by the client core (clients, Podium, ffmpeg and any other load on it), not the worker, so the worker figures are a lower bound';
  }
  if (step.workerCoreBusy >= SATURATED_CPU) return 'by other processes on the worker\'s core';

  return `with delivery below ${MIN_DELIVERY * 100}% and no core saturated`;
}

/**
 * Runs Podium live with one worker on the worker core, joins the viewers of
 * each step and measures it, until the last step or the first saturated one.
 */
async function measureSteps(windowMs: number, steps: number[], progress: (line: string) => void): Promise<BenchmarkResult> {
  const podium = await startTestPodium({ ...BENCH_CONFIG, sfu: { workers: 1, viewersPerWorker: 10_000 } });
  const viewers: WeriftViewer[] = [];
  const measured: Step[] = [];

  try {
    pinToCore(podium.podium.sfu.workerPid, WORKER_CORE);
    await podium.goLive();
    // Viewers that join before the program exists would receive the venue sources for good.
    await waitFor('the program in the room', () => watchSources(podium.podium.controller.room!, podium.podium.controller.liveEvent?.program?.state === 'live').includes('program'), {
      timeoutMs: 60_000,
      intervalMs: 250,
    });

    for (const count of steps) {
      await joinUpTo(podium, viewers, count);
      // The new viewers' DTLS handshakes and keyframe requests settle before the window opens.
      const settled = Date.now() + SETTLE_MS;

      await waitFor('the step to settle', () => Date.now() >= settled, { timeoutMs: SETTLE_MS + 5000, intervalMs: 200 });

      const step = await measureStep(podium, viewers, windowMs);

      measured.push(step);
      progress(
        `${count} viewers: worker ${(step.workerCpu * 100).toFixed(1)}%, ` +
          `client core ${(step.clientCoreBusy * 100).toFixed(1)}% busy, worst delivery ${(step.delivery * 100).toFixed(1)}%`,
      );
      if (isSaturated(step)) break;
    }
  } finally {
    for (const viewer of viewers) viewer.close();
    // Podium closes each viewer when its signaling socket closes; let that finish before the worker goes.
    await waitFor('Podium to close the viewers', () => podium.podium.sfu.viewersPerWorker()[0] === 0, {
      timeoutMs: 10_000,
    }).catch(() => undefined);
    await podium.close();
  }

  return summarize(measured, windowMs, podium.config.encoding.videoBitrateKbps);
}

/**
 * Only the worker is pinned to core 0; Podium's Node side, its ffmpeg
 * processes (capture and program compositor) and the werift viewers are
 * pinned to core 1. Viewers join in
 * steps; each step measures the worker's CPU, how busy both cores are, and
 * whether every viewer still gets the producers' packets.
 */
export const viewersPerCore: Benchmark = {
  name: 'viewers-per-core',
  description:
    'WebRTC viewers one mediasoup worker core serves: CPU per consumer and the saturation point, ' +
    `against mediasoup's figure of about ${MEDIASOUP_CONSUMERS_PER_CORE} consumers per core ` +
    '(PODIUM_BENCH_VIEWERS sets the largest step, default 80)',
  method:
    'Podium goes live with one mediasoup worker and the built-in test picture and tone. The worker is pinned ' +
    'to core 0; Podium\'s Node side, its ffmpeg processes and the viewers are pinned to core 1 (taskset). ' +
    'Viewers are non-rendering WebRTC clients (werift, in the Node process) that join through the watch ' +
    'page\'s signaling once the room has the program, and count the RTP packets they receive. They join in ' +
    'steps (0, 5, 10, 20, 40, 80); each step settles for 5 s and is then measured over a fixed window: the ' +
    'worker\'s CPU (/proc/<pid>/stat), how busy each core is (/proc/stat, steal time not counted), and the ' +
    'worst viewer\'s share of the producers\' packets. The run stops at the first step where the worker uses ' +
    '90% of its core or a viewer gets less than 95% of the packets. The CPU per consumer and per forwarded ' +
    'packet come from the largest step that was not saturated, less the idle step, and give an estimate of ' +
    'the consumers per core. werift has no RTX, congestion control or header extensions, and loopback loses ' +
    'no packets, so the estimate is an upper bound for browser viewers on a real network.',
  defaultMinutes: 10,
  async run({ minutes, progress }): Promise<BenchmarkResult> {
    if (availableParallelism() < 2) throw new Error('viewers-per-core needs two CPU cores: one for the worker, one for the clients');

    const maxViewers = Number(process.env.PODIUM_BENCH_VIEWERS ?? 80);

    if (!Number.isInteger(maxViewers) || maxViewers < 1) {
      throw new Error(`invalid PODIUM_BENCH_VIEWERS "${process.env.PODIUM_BENCH_VIEWERS}"; give a positive integer such as 40`);
    }

    const steps = viewerSteps(maxViewers);
    const windowMs = Math.max(10_000, (minutes * 60_000) / steps.length / 2);

    // Children inherit the affinity: the worker and ffmpeg start on the client core, then the worker moves.
    pinToCore(process.pid, CLIENT_CORE);
    try {
      return await measureSteps(windowMs, steps, progress);
    } finally {
      // The benchmarks or tests that follow in this process get both cores back.
      unpin(process.pid);
    }
  },
};

/**
 * Turns the steps into the report. The worker's CPU per consumer and per
 * forwarded packet come from the largest step without saturation, less the
 * idle step's CPU.
 */
export function summarize(steps: Step[], windowMs: number, videoKbps: number): BenchmarkResult {
  const idle = steps[0]!;
  const healthy = steps.filter((step) => !isSaturated(step));
  const largest = healthy.at(-1) ?? idle;
  const consumers = largest.viewers * CONSUMERS_PER_VIEWER;
  const added = largest.workerCpu - idle.workerCpu;
  const perConsumer = consumers > 0 ? added / consumers : 0;
  const perPacketMicroseconds = largest.forwardedPerSecond > 0 ? (added / largest.forwardedPerSecond) * 1e6 : 0;
  const saturated = steps.find(isSaturated);
  const estimate = perConsumer > 0 ? Math.round((1 - idle.workerCpu) / perConsumer) : 0;
  // The test picture often encodes below its target bitrate, so the cost is also scaled to the
  // configured one: at least this many packets a second per viewer, split over its two consumers.
  const designPacketsPerViewer = (videoKbps * 1000) / 8 / VIDEO_PACKET_BYTES + AUDIO_PACKETS_PER_SECOND;
  const designPerConsumer = (perPacketMicroseconds / 1e6) * (designPacketsPerViewer / CONSUMERS_PER_VIEWER);
  const designEstimate = designPerConsumer > 0 ? Math.round((1 - idle.workerCpu) / designPerConsumer) : 0;
  const details = [
    `steps of ${(windowMs / 1000).toFixed(0)} s; worker: its process; cores: every process on them`,
    'viewers consumers   worker  core 0  core 1  delivery  packets/s  kbit/s  load',
    ...steps.map(stepLine),
    saturated
      ? `saturated at ${saturated.viewers} viewers ${saturationCause(saturated)}`
      : `not saturated up to ${largest.viewers} viewers; the consumers per core is an extrapolation`,
    `mediasoup's figure: about ${MEDIASOUP_CONSUMERS_PER_CORE} consumers per core; this run estimates ${estimate} ` +
      `at the measured ${largest.streamKbps} kbit/s per viewer, and ${designEstimate} at the configured ` +
      `${videoKbps} kbit/s video (${Math.round(designPacketsPerViewer)} packets a second per viewer)`,
  ];

  return {
    metrics: [
      { name: 'worker CPU per consumer', value: Number((perConsumer * 100).toFixed(3)), unit: '% of a core' },
      { name: 'worker CPU per forwarded packet', value: Number(perPacketMicroseconds.toFixed(1)), unit: 'µs' },
      { name: 'consumers per core (estimate)', value: estimate, unit: 'consumers' },
      { name: `consumers per core at ${videoKbps} kbit/s`, value: designEstimate, unit: 'consumers' },
      { name: 'largest step without saturation', value: largest.viewers, unit: 'viewers' },
      { name: 'worker CPU with no viewers', value: Number((idle.workerCpu * 100).toFixed(1)), unit: '% of a core' },
    ],
    details,
  };
}
