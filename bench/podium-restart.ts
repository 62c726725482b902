import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { parseConfig } from '../appliance/config/load.js';
import { projectRoot } from '../appliance/http/page-routes.js';
import { isAlive } from '../test/helpers/processes.js';
import { goLiveSpawned, spawnPodium, type SpawnedPodium } from '../test/helpers/spawned-podium.js';
import { testConfigInput } from '../test/helpers/test-podium.js';
import { waitFor } from '../test/helpers/wait-for.js';
import { BENCH_CONFIG } from './live-podium.js';
import {
  playbackMode,
  RECOVERY_TIMEOUT_MS,
  type Recovery,
  recoveryLine,
  waitForPicturesAfter,
  waitForSteadyPictures,
} from './recovery-probes.js';
import { openWatchPage, startFrameSampler } from './watch-sampler.js';

/** The fault label of a restart in the report. */
export const PODIUM_RESTART = 'Podium restart';

/**
 * One restart: the recovery times, and in ms from the kill when the new
 * Podium listened and accepted the staff login, and when the event was live again.
 */
export type RestartRecovery = Recovery & { listeningMs: number; liveMs: number };

/**
 * Returns the delay systemd waits before it starts Podium again, from
 * RestartSec in systemd/podium.service, in ms.
 */
export function unitRestartDelayMs(unitText = readFileSync(join(projectRoot(), 'systemd', 'podium.service'), 'utf8')): number {
  const match = /^RestartSec=(\d+(?:\.\d+)?)s?$/m.exec(unitText);

  if (!match) throw new Error('systemd/podium.service sets no RestartSec in seconds; the benchmark needs it to act as systemd does');

  return Number(match[1]) * 1000;
}

async function stopPodium(podium: SpawnedPodium, signal: NodeJS.Signals): Promise<void> {
  const pid = podium.child.pid!;

  podium.child.kill(signal);
  await waitFor('Podium to end', () => !isAlive(pid), { timeoutMs: 20_000 });
}

/**
 * Starts the built Podium as its own process with its test event live and
 * a WebRTC watch page, then kills Podium with SIGKILL and starts it again
 * after the unit's RestartSec, as systemd does, with the same data and port.
 * Times until the page displays, and the 720p playlist's newest segment
 * starts with, a frame captured after the kill. Repeats until `until`, at
 * least once and at most maxRounds times.
 */
export async function measurePodiumRestarts(
  browser: Browser,
  until: number,
  maxRounds: number,
  progress: (line: string) => void,
): Promise<RestartRecovery[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-bench-restart-'));
  const width = parseConfig(testConfigInput(dataDir, BENCH_CONFIG), 'the benchmark configuration').venue.video.width;
  const restartDelayMs = unitRestartDelayMs();
  const restarts: RestartRecovery[] = [];
  let podium = await spawnPodium(dataDir, {}, BENCH_CONFIG);
  const port = Number(new URL(podium.url).port);

  try {
    const eventId = await goLiveSpawned(podium);
    const hlsDir = join(dataDir, 'hls', eventId);

    // A page that joins before the program exists would watch the venue camera instead.
    await waitFor('the program on HLS', async () => (await podium.api('GET', '/api/state')).outputs?.hls === 'live', {
      timeoutMs: RECOVERY_TIMEOUT_MS,
    });

    const page = await openWatchPage(browser, podium.url, 'webrtc');

    await startFrameSampler(page, width);
    do {
      const latencyBeforeMs = await waitForSteadyPictures(page);
      const modeBefore = await playbackMode(page);
      const killedAt = Date.now();

      await stopPodium(podium, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + restartDelayMs - Date.now())));
      podium = await spawnPodium(dataDir, { port }, BENCH_CONFIG);

      const listeningMs = Date.now() - killedAt;
      const liveMs = await waitFor('the restored event to be live', async () => {
        const state = (await podium.api('GET', '/api/state')) as { event?: { state: string; failureReason?: string } };

        if (state.event?.state === 'failed') throw new Error(`the restored event failed: ${state.event.failureReason}`);

        return state.event?.state === 'live' ? Date.now() - killedAt : undefined;
      }, { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 100 });
      const times = await waitForPicturesAfter(page, hlsDir, width, killedAt, 'Podium restart');
      const playback = `${modeBefore} -> ${await playbackMode(page)}`;
      const restart = { fault: PODIUM_RESTART, ...times, latencyBeforeMs, playback, listeningMs, liveMs };

      restarts.push(restart);
      progress(`${PODIUM_RESTART}: ${restartLine(restart)}`);
    } while (Date.now() < until && restarts.length < maxRounds);
    await page.context().close();
  } finally {
    await stopPodium(podium, 'SIGTERM').catch(() => podium.child.kill('SIGKILL'));
    rmSync(dataDir, { recursive: true, force: true });
  }

  return restarts;
}

/** Formats one restart as a report line. */
export function restartLine(entry: RestartRecovery): string {
  return `listening ${entry.listeningMs} ms, live ${entry.liveMs} ms, ${recoveryLine(entry)}`;
}
