import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOCK, TEST_TONE } from '../capture/venue-source-args.js';
import { timeCodeFilter } from '../capture/time-code.js';
import type { PodiumConfig } from '../appliance/config/schema.js';
import { childPids, commandLine } from '../test/helpers/processes.js';
import { waitFor } from '../test/helpers/wait-for.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { startLivePodium } from './live-podium.js';
import { processCpuSeconds, proportionalMb } from './process-cpu.js';
import { round1 } from './statistics.js';

/** CPU (share of one core) and proportional memory (PSS, MB) of a set of processes over one window. */
export type Cost = { cpu: number; memoryMb: number; parts: { name: string; cpu: number; memoryMb: number }[] };

function cpuSecondsOrZero(pid: number): number {
  try {
    return processCpuSeconds(pid);
  } catch {
    return 0;
  }
}

/** Names a child process of Podium by its command line: the supervised ffmpeg's role, or the worker. */
function processName(pid: number): string {
  const cmdline = commandLine(pid) ?? '';

  if (cmdline.includes('mediasoup-worker')) return 'mediasoup worker';
  if (!cmdline.includes('ffmpeg')) return cmdline.split(' ')[0] ?? String(pid);
  if (cmdline.includes('-f tee')) return 'ffmpeg compositor (HLS renditions, program)';
  if (cmdline.includes('anullsrc')) return 'ffmpeg stand-ins for missing sources';
  if (cmdline.includes('libopus') && !cmdline.includes('libx264')) return 'ffmpeg microphone capture';
  if (cmdline.includes('testsrc2') || cmdline.includes('libx264')) return 'ffmpeg camera capture';

  return 'ffmpeg (other)';
}

/**
 * Measures the CPU of the given processes over windowMs, and their
 * proportional memory (PSS) at its end. NOTE: a process that ends within
 * the window counts nothing, and one that starts within it is not among the
 * pids. In a steady pipeline this happens only when an ffmpeg fails.
 * The Node process itself (Podium's own side, and this harness, which is
 * idle while it waits) counts as "node".
 */
export async function measureCost(pids: number[], windowMs: number, includeNode: boolean): Promise<Cost> {
  const before = pids.map(cpuSecondsOrZero);
  const nodeBefore = process.cpuUsage();
  const startedAt = performance.now();
  const until = Date.now() + windowMs;

  // The window is the measurement itself: CPU is counted over a fixed time.
  await waitFor('the measurement window to end', () => Date.now() >= until, { timeoutMs: windowMs + 5000, intervalMs: 500 });

  const seconds = (performance.now() - startedAt) / 1000;
  const parts = pids.map((pid, index) => ({
    name: processName(pid),
    cpu: Math.max(0, cpuSecondsOrZero(pid) - before[index]!) / seconds,
    memoryMb: proportionalMb(pid),
  }));

  if (includeNode) {
    const used = process.cpuUsage(nodeBefore);

    parts.push({ name: 'node (Podium and the harness)', cpu: (used.user + used.system) / 1e6 / seconds, memoryMb: proportionalMb(process.pid) });
  }

  return {
    cpu: parts.reduce((sum, part) => sum + part.cpu, 0),
    memoryMb: parts.reduce((sum, part) => sum + part.memoryMb, 0),
    parts,
  };
}

/**
 * Builds one plain ffmpeg command that produces Podium's HLS output from the
 * same test picture and tone: 720p and 360p H.264 renditions with Podium's
 * encoder settings, AAC, 1 s segments. Unlike the compositor it encodes the
 * AAC once per rendition, because the hls muxer's var_stream_map takes each
 * stream into one variant only; AAC costs little next to H.264.
 */
export function buildPlainHlsArgs(config: PodiumConfig, outputDir: string): string[] {
  const { width, height, fps } = config.venue.video;
  const { encoding } = config;
  const lowWidth = Math.round((width * 360) / height / 2) * 2;

  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-re', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
    '-re', '-f', 'lavfi', '-i', TEST_TONE,
    '-filter_complex', `[0:v]${CLOCK},${timeCodeFilter()},format=yuv420p,split=2[top][in];[in]scale=${lowWidth}:360[low]`,
    '-map', '[top]', '-map', '[low]', '-map', '1:a', '-map', '1:a',
    '-c:v', 'libx264', '-preset', encoding.x264Preset, '-tune', 'zerolatency', '-profile:v', 'baseline',
    '-g', String(fps), '-keyint_min', String(fps), '-sc_threshold', '0', '-bf', '0',
    '-force_key_frames', 'expr:gte(t,n_forced*1)',
    '-b:v:0', `${encoding.videoBitrateKbps}k`, '-maxrate:v:0', `${encoding.videoBitrateKbps}k`,
    '-bufsize:v:0', `${Math.round(encoding.videoBitrateKbps / 2)}k`,
    '-b:v:1', '700k', '-maxrate:v:1', '700k', '-bufsize:v:1', '350k',
    '-c:a', 'aac', '-b:a', `${encoding.aacBitrateKbps}k`, '-ar', '48000', '-ac', '2',
    '-f', 'hls', '-hls_time', '1', '-hls_list_size', String(config.hls.playlistSegments),
    '-hls_flags', 'delete_segments+independent_segments+temp_file+program_date_time',
    '-hls_segment_type', 'mpegts', '-master_pl_name', 'index.m3u8',
    '-var_stream_map', 'v:0,a:0,name:720p v:1,a:1,name:360p',
    '-hls_segment_filename', join(outputDir, '%v-%06d.ts'),
    join(outputDir, '%v.m3u8'),
  ];
}

/** Runs the plain ffmpeg command and measures it once it writes segments. */
async function measurePlainFfmpeg(config: PodiumConfig, windowMs: number): Promise<Cost> {
  const outputDir = mkdtempSync(join(tmpdir(), 'podium-bench-hls-'));
  const child = spawn('ffmpeg', buildPlainHlsArgs(config, outputDir), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';

  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await waitFor('segments of the plain ffmpeg command', () => {
      if (child.exitCode !== null) throw new Error(`the plain ffmpeg command exited with code ${child.exitCode}: ${stderr.trim()}`);

      return existsSync(join(outputDir, '360p.m3u8')) && existsSync(join(outputDir, '720p.m3u8'));
    }, { timeoutMs: 30_000, intervalMs: 250 });

    const cost = await measureCost([child.pid!], windowMs, false);

    return { ...cost, parts: cost.parts.map((part) => ({ ...part, name: 'ffmpeg, two HLS renditions' })) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
    rmSync(outputDir, { recursive: true, force: true });
  }
}

function costLines(label: string, cost: Cost): string[] {
  return [
    `${label}: ${round1(cost.cpu * 100)}% of a core, ${round1(cost.memoryMb)} MB PSS`,
    ...cost.parts.map((part) => `  ${part.name.padEnd(46)} ${`${round1(part.cpu * 100)}%`.padStart(7)} ${`${round1(part.memoryMb)} MB`.padStart(10)}`),
  ];
}

/**
 * Pipeline cost: Podium live with the built-in test picture and a running
 * recording, then one plain ffmpeg command that produces the same HLS
 * output, each measured over half the run. Podium runs without the simulated
 * PTZ camera's view filter, which a real camera does not need.
 */
export const pipelineCost: Benchmark = {
  name: 'pipeline-cost',
  description: 'CPU and memory of the live pipeline (capture, compositor, HLS renditions, recording) against one plain ffmpeg HLS command (reported only)',
  method:
    'Podium goes live with the built-in test picture and tone, without the simulated PTZ camera (its v360 ' +
    'filter stands in for a real camera\'s optics and would add cost no appliance has), and records. Over half ' +
    'the run, the CPU time of each of Podium\'s child processes (/proc/<pid>/stat: captures, stand-ins, ' +
    'compositor, mediasoup workers) and of the Node process (process.cpuUsage(): Podium\'s own side, the ' +
    'recording, and the idle harness) is summed, with each one\'s proportional memory at the end (PSS from ' +
    '/proc/<pid>/smaps_rollup, which counts pages shared between processes once). Then one plain ' +
    'ffmpeg command draws the same picture (clock and time code) and tone and writes 720p and 360p HLS with ' +
    'Podium\'s encoder settings for the other half. The ratios are Podium over plain ffmpeg.',
  defaultMinutes: 4,
  async run({ minutes, progress }): Promise<BenchmarkResult> {
    const windowMs = (minutes * 60_000) / 2;
    const { podium } = await startLivePodium();
    let pipeline: Cost;

    try {
      const started = await podium.api('POST', '/api/recording/start');

      if (started.status !== 200) throw new Error(`starting the recording failed with HTTP ${started.status}`);
      await waitFor('the recording to run', async () => (await podium.state()).recording?.current ?? undefined, { timeoutMs: 30_000, intervalMs: 250 });
      progress(`Podium live and recording; measuring for ${Math.round(windowMs / 1000)} s`);
      pipeline = await measureCost(childPids(process.pid), windowMs, true);
    } finally {
      await podium.close();
    }

    progress(`measuring one plain ffmpeg command for ${Math.round(windowMs / 1000)} s`);

    const plain = await measurePlainFfmpeg(podium.config, windowMs);

    return {
      metrics: [
        { name: 'Podium pipeline CPU', value: round1(pipeline.cpu * 100), unit: '% of a core' },
        { name: 'Podium pipeline memory', value: round1(pipeline.memoryMb), unit: 'MB' },
        { name: 'plain ffmpeg CPU', value: round1(plain.cpu * 100), unit: '% of a core' },
        { name: 'plain ffmpeg memory', value: round1(plain.memoryMb), unit: 'MB' },
        { name: 'CPU ratio (Podium / plain)', value: round1(pipeline.cpu / plain.cpu), unit: '' },
        { name: 'memory ratio (Podium / plain)', value: round1(pipeline.memoryMb / plain.memoryMb), unit: '' },
      ],
      details: [...costLines('Podium', pipeline), ...costLines('plain ffmpeg', plain)],
    };
  },
};
