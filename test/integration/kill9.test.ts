import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { HEARTBEAT_KEY } from '../../appliance/events/event-restore.js';
import { launchChromium } from '../helpers/browser.js';
import { childPids, commandLine, isAlive } from '../helpers/processes.js';
import { goLiveSpawned, mainScript, spawnPodium } from '../helpers/spawned-podium.js';
import { startTestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

describe('Podium killed with SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-kill-'));

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('leaves no ffmpeg or worker process behind', async () => {
    expect(existsSync(mainScript), `${mainScript} missing: run npm run build first`).toBe(true);

    const podium = await spawnPodium(dataDir);
    const { child } = podium;

    await goLiveSpawned(podium);

    const ffmpegPids = await waitFor('four ffmpeg children (camera, microphone, stand-ins, compositor)', () => {
      const pids = childPids(child.pid!).filter((pid) => commandLine(pid)?.includes('ffmpeg'));

      return pids.length === 4 ? pids : undefined;
    });
    const workerPids = childPids(child.pid!).filter((pid) => commandLine(pid)?.includes('mediasoup-worker'));

    // The test configuration leaves sfu.workers at 0: one worker per core.
    expect(workerPids).toHaveLength(availableParallelism());
    child.kill('SIGKILL');

    for (const pid of [...ffmpegPids, ...workerPids]) {
      await waitFor(`process ${pid} to end`, () => !isAlive(pid), { timeoutMs: 10_000 });
    }
    expect([...ffmpegPids, ...workerPids].filter(isAlive)).toEqual([]);
  });

  it('marks the event failed after a long break', async () => {
    // Podium was down for an hour: the next start must not put the camera on air by itself.
    const store = new Database(join(dataDir, 'podium.sqlite'));

    store.prepare('UPDATE settings SET value = ? WHERE key = ?').run(new Date(Date.now() - 3_600_000).toISOString(), HEARTBEAT_KEY);
    store.close();

    const podium = await startTestPodium({}, dataDir);

    try {
      const { body } = await podium.api('GET', '/api/events');

      expect(body.events[0].state).toBe('failed');
      expect(body.events[0].failureCode).toBe('interrupted');
      expect(body.events[0].failureReason).toContain('Podium was down for 60 min');
    } finally {
      await podium.close({ keepData: true });
    }
  });

  it('console explains the failure in German', async () => {
    const podium = await startTestPodium({}, dataDir);
    const browser = await launchChromium();

    try {
      const page = await browser.newPage();

      await page.goto(`${podium.baseUrl}/console`);

      await expect(page.getByTestId('failure').textContent()).resolves.toContain('unterbrochen');
      await expect(page.getByTestId('failure-details').textContent()).resolves.toContain('Podium was down');
    } finally {
      await browser.close();
      await podium.close({ keepData: true });
    }
  });
});
