import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { decodeTimeCode, TIME_CODE, timeCodeAge, timeCodeLevels } from '../capture/time-code.js';
import { launchChromium } from '../test/helpers/browser.js';
import type { TestPodium } from '../test/helpers/test-podium.js';
import { waitFor } from '../test/helpers/wait-for.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { startLivePodium } from './live-podium.js';
import { percentile } from './statistics.js';
import { openWatchPage, readFrames, startFrameSampler, timedFrames } from './watch-sampler.js';

const run = promisify(execFile);

/**
 * The processes the benchmark kills: supervised ffmpeg processes by their
 * supervisor names, and the mediasoup worker under the room (worker 0).
 */
const FAULTS = [
  { process: 'program', label: 'compositor kill' },
  { process: 'camera', label: 'camera capture kill' },
  { process: 'mediasoup-worker', label: 'media worker kill' },
] as const;

/** A viewer whose newest frame was displayed at most this long ago receives the live pipeline. */
const STEADY_AGE_MS = 2000;
/** Kills of each fault at most, however long the run. */
const MAX_ROUNDS = 5;
/** A recovery that takes longer than this counts as failed. */
const RECOVERY_TIMEOUT_MS = 60_000;

/**
 * Times from one kill, in ms, until the viewer and the HLS playlist have
 * pictures captured after it, and the viewer's latency just before the kill.
 */
export type Recovery = { fault: string; webRtcMs: number; hlsMs: number; latencyBeforeMs: number };

/**
 * Returns the capture time of the first frame of the newest segment in the
 * top rendition's playlist, from its time code; undefined without one.
 */
async function newestSegmentCapturedAt(hlsDir: string, width: number): Promise<number | undefined> {
  const playlist = await readFile(join(hlsDir, '720p.m3u8'), 'utf8');
  const segment = playlist.split('\n').filter((line) => line.endsWith('.ts')).at(-1);

  if (!segment) return undefined;

  const { stdout } = await run(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-i', join(hlsDir, segment), '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 16 * 2 ** 20, timeout: 20_000 },
  );
  const code = decodeTimeCode(timeCodeLevels(stdout, width), TIME_CODE.bits);

  if (code === undefined) return undefined;

  const now = Date.now();

  return now - timeCodeAge(code, now, TIME_CODE.bits);
}

/** Kills one supervised process with SIGKILL and times until new pictures reach the viewer and HLS. */
async function measureKill(
  podium: TestPodium,
  page: Page,
  hlsDir: string,
  fault: (typeof FAULTS)[number],
): Promise<Omit<Recovery, 'latencyBeforeMs'>> {
  const width = podium.config.venue.video.width;
  const pid =
    fault.process === 'mediasoup-worker'
      ? podium.podium.sfu.workerPid
      : podium.podium.supervisor.running().find((entry) => entry.name === fault.process && entry.pid !== undefined)?.pid;

  if (pid === undefined) throw new Error(`no running "${fault.process}" process to kill`);

  const killedAt = Date.now();

  process.kill(pid, 'SIGKILL');

  const [webRtcMs, hlsMs] = await Promise.all([
    waitFor(`WebRTC frames captured after the ${fault.process} kill`, async () => {
      const frame = timedFrames(await readFrames(page)).find((entry) => entry.capturedAt > killedAt);

      return frame ? frame.displayedAt - killedAt : undefined;
    }, { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 100 }),
    waitFor(`an HLS segment captured after the ${fault.process} kill`, async () => {
      const capturedAt = await newestSegmentCapturedAt(hlsDir, width);

      return capturedAt !== undefined && capturedAt > killedAt ? Date.now() - killedAt : undefined;
    }, { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 200 }),
  ]);

  return { fault: fault.label, webRtcMs, hlsMs };
}

/**
 * Waits until the viewer displays pictures with a time code (the pipeline
 * runs) and returns the latency of the newest one. On a loaded machine that
 * latency can reach many seconds, and each recovery time includes it.
 */
async function waitForSteadyPictures(page: Page): Promise<number> {
  let latest: { frames: number; shownMsAgo?: number } = { frames: 0 };

  return waitFor('pictures at the WebRTC viewer', async () => {
    const frames = await readFrames(page);
    const newest = timedFrames(frames).at(-1);

    latest = { frames: frames.length, shownMsAgo: newest && Date.now() - newest.displayedAt };

    return newest !== undefined && Date.now() - newest.displayedAt < STEADY_AGE_MS ? newest.latencyMs : undefined;
  }, { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 250 }).catch((error: Error) => {
    throw new Error(`${error.message}: ${latest.frames} frames displayed, the newest ${latest.shownMsAgo ?? 'never'} ms ago`);
  });
}

/**
 * Recovery times of Podium live with a WebRTC watch page in headless
 * Chromium. The benchmark kills the compositor ffmpeg, then the camera
 * capture ffmpeg, and times until pictures captured after the kill (by their
 * time code) reach the viewer and the newest HLS segment.
 */
export const recovery: Benchmark = {
  name: 'recovery',
  description:
    'time until WebRTC frames and HLS segments flow again after the compositor, a capture ffmpeg or the mediasoup worker is killed (reported only)',
  method:
    'Podium goes live with the built-in test picture, which carries its capture time in a time code (see ' +
    'glass-to-glass), and a WebRTC watch page in headless Chromium. Once the page displays pictures, the ' +
    'benchmark notes their latency and kills the compositor ffmpeg with SIGKILL, then the camera capture ' +
    'ffmpeg, then the mediasoup worker under the room, which Podium replaces while the page sets WebRTC up ' +
    'again by itself. Recovery is the time until the page displays a frame captured after the kill, ' +
    'and until the newest segment of the 720p playlist starts with one (decoded with ffmpeg, polled every ' +
    '200 ms). Both times include the pipeline latency noted before the kill. It repeats while time is left, ' +
    'at most five rounds.',
  defaultMinutes: 5,
  async run({ minutes, progress }): Promise<BenchmarkResult> {
    const until = Date.now() + minutes * 60_000;
    const { podium, eventId } = await startLivePodium();
    const browser = await launchChromium();
    const hlsDir = join(podium.dataDir, 'hls', eventId);
    const recoveries: Recovery[] = [];

    try {
      const page = await openWatchPage(browser, podium.baseUrl, 'webrtc');

      await startFrameSampler(page, podium.config.venue.video.width);
      // At least one kill of each fault, however short the run.
      do {
        for (const fault of FAULTS) {
          const latencyBeforeMs = await waitForSteadyPictures(page);
          const result = { ...(await measureKill(podium, page, hlsDir, fault)), latencyBeforeMs };

          recoveries.push(result);
          progress(`${result.fault}: ${recoveryLine(result)}`);
        }
      } while (Date.now() < until && recoveries.length < MAX_ROUNDS * FAULTS.length);
    } finally {
      await browser.close();
      await podium.close();
    }

    return summarizeRecoveries(recoveries);
  },
};

function recoveryLine(entry: Recovery): string {
  return `WebRTC ${Math.round(entry.webRtcMs)} ms, HLS ${entry.hlsMs} ms, latency before the kill ${Math.round(entry.latencyBeforeMs)} ms`;
}

/** Turns the measured kills into the report: median and largest time per fault and path. */
export function summarizeRecoveries(recoveries: Recovery[]): BenchmarkResult {
  const metrics = FAULTS.flatMap(({ label }) => {
    const ofFault = recoveries.filter((entry) => entry.fault === label);

    if (ofFault.length === 0) return [];

    return (['webRtcMs', 'hlsMs'] as const).flatMap((key) => {
      const path = key === 'webRtcMs' ? 'WebRTC' : 'HLS';
      const values = ofFault.map((entry) => entry[key]);

      return [
        { name: `${label}: ${path} median`, value: Math.round(percentile(values, 50)), unit: 'ms' },
        { name: `${label}: ${path} max`, value: Math.round(Math.max(...values)), unit: 'ms' },
      ];
    });
  });

  return {
    metrics,
    details: [
      'time from SIGKILL until a frame captured after it is displayed at the WebRTC viewer, or starts the newest segment of the 720p playlist (polled every 200 ms)',
      'each includes the pipeline latency, given as the viewer\'s latency just before the kill',
      ...recoveries.map((entry) => `${entry.fault}: ${recoveryLine(entry)}`),
    ],
  };
}
