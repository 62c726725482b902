import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.js';
import type { TestPodium } from '../test/helpers/test-podium.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { startLivePodium } from './live-podium.js';
import { measurePodiumRestarts, PODIUM_RESTART, restartLine, unitRestartDelayMs, type RestartRecovery } from './podium-restart.js';
import { playbackMode, type Recovery, recoveryLine, waitForPicturesAfter, waitForSteadyPictures } from './recovery-probes.js';
import { percentile } from './statistics.js';
import { openWatchPage, startFrameSampler } from './watch-sampler.js';

/**
 * The processes the benchmark kills: supervised ffmpeg processes by their
 * supervisor names, and the mediasoup worker under the room (worker 0).
 */
const FAULTS = [
  { process: 'program', label: 'compositor kill' },
  { process: 'camera', label: 'camera capture kill' },
  { process: 'mediasoup-worker', label: 'media worker kill' },
] as const;

/** Kills of each fault at most, however long the run. */
const MAX_ROUNDS = 5;

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

  const { webRtcMs, hlsMs } = await waitForPicturesAfter(page, hlsDir, width, killedAt, `${fault.process} kill`);

  return { fault: fault.label, webRtcMs, hlsMs };
}

/** The share of the run for the kills within one Podium; the rest restarts Podium. */
const KILL_SHARE = 0.6;

/**
 * Recovery times of Podium live with a WebRTC watch page in headless
 * Chromium. The benchmark kills the compositor ffmpeg, the camera capture
 * ffmpeg and the mediasoup worker, then Podium itself, and times until
 * pictures captured after the kill (by their time code) reach the viewer
 * and the newest HLS segment.
 */
export const recovery: Benchmark = {
  name: 'recovery',
  description:
    'time until WebRTC frames and HLS segments flow again after the compositor, a capture ffmpeg, the mediasoup worker or Podium itself is killed (reported only)',
  method:
    'Podium goes live with the built-in test picture, which carries its capture time in a time code (see ' +
    'glass-to-glass), and a WebRTC watch page in headless Chromium. Once the page displays pictures, the ' +
    'benchmark notes their latency and kills the compositor ffmpeg with SIGKILL, then the camera capture ' +
    'ffmpeg, then the mediasoup worker under the room, which Podium replaces while the page sets WebRTC up ' +
    'again by itself. This repeats for 60% of the run, at most five rounds. For the rest, a Podium started ' +
    'as its own process (as systemd does) is live with a watch page. The benchmark kills it with SIGKILL and, ' +
    'after the RestartSec of systemd/podium.service, starts it again with the same data and port. The page ' +
    'finds it again by itself. Recovery is the time until the page displays a frame captured after the kill, ' +
    'and until the newest segment of the 720p playlist starts with one (decoded with ffmpeg, polled every ' +
    '200 ms). Both times include the pipeline latency noted before the kill, and a restart includes RestartSec.',
  defaultMinutes: 8,
  async run({ minutes, progress }): Promise<BenchmarkResult> {
    const startedAt = Date.now();
    const killsUntil = startedAt + minutes * 60_000 * KILL_SHARE;
    const browser = await launchChromium();
    const recoveries: Recovery[] = [];
    let restarts: RestartRecovery[] = [];

    try {
      const { podium, eventId } = await startLivePodium();

      try {
        const hlsDir = join(podium.dataDir, 'hls', eventId);
        const page = await openWatchPage(browser, podium.baseUrl, 'webrtc');

        await startFrameSampler(page, podium.config.venue.video.width);
        // At least one kill of each fault, however short the run.
        do {
          for (const fault of FAULTS) {
            const latencyBeforeMs = await waitForSteadyPictures(page);
            const modeBefore = await playbackMode(page);
            const times = await measureKill(podium, page, hlsDir, fault);
            const result = { ...times, latencyBeforeMs, playback: `${modeBefore} -> ${await playbackMode(page)}` };

            recoveries.push(result);
            progress(`${result.fault}: ${recoveryLine(result)}`);
          }
        } while (Date.now() < killsUntil && recoveries.length < MAX_ROUNDS * FAULTS.length);
        await page.context().close();
      } finally {
        await podium.close();
      }
      restarts = await measurePodiumRestarts(browser, startedAt + minutes * 60_000, MAX_ROUNDS, progress);
    } finally {
      await browser.close();
    }

    return summarizeRecoveries(recoveries, restarts);
  },
};


/** Turns the measured kills and restarts into the report: median and largest time per fault and path. */
export function summarizeRecoveries(recoveries: Recovery[], restarts: RestartRecovery[] = []): BenchmarkResult {
  const all = [...recoveries, ...restarts];
  const labels = [...new Set(all.map((entry) => entry.fault))];
  const metrics = labels.flatMap((label) => {
    const ofFault = all.filter((entry) => entry.fault === label);

    return (['webRtcMs', 'hlsMs'] as const).flatMap((key) => {
      const path = key === 'webRtcMs' ? 'WebRTC' : 'HLS';
      const values = ofFault.map((entry) => entry[key]);

      return [
        { name: `${label}: ${path} median`, value: Math.round(percentile(values, 50)), unit: 'ms' },
        { name: `${label}: ${path} max`, value: Math.round(Math.max(...values)), unit: 'ms' },
      ];
    });
  });

  if (restarts.length > 0) {
    metrics.push({
      name: `${PODIUM_RESTART}: event live median`,
      value: Math.round(percentile(restarts.map((entry) => entry.liveMs), 50)),
      unit: 'ms',
    });
  }

  return {
    metrics,
    details: [
      'time from SIGKILL until a frame captured after it is displayed at the WebRTC viewer, or starts the newest segment of the 720p playlist (polled every 200 ms)',
      'each includes the pipeline latency, given as the viewer\'s latency just before the kill; "page" is the watch page\'s playback path before the kill and once pictures came back (it falls back to hls.js when WebRTC fails)',
      ...recoveries.map((entry) => `${entry.fault}: ${recoveryLine(entry)}`),
      ...(restarts.length > 0
        ? [
            `a restart includes systemd's RestartSec (${unitRestartDelayMs() / 1000} s) before Podium starts again; "listening" (up to the staff login) and "live" are from the kill too`,
            ...restarts.map((entry) => `${entry.fault}: ${restartLine(entry)}`),
          ]
        : []),
    ],
  };
}
