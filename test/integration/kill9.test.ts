import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { projectRoot } from '../../appliance/http/page-routes.js';
import { launchChromium } from '../helpers/browser.js';
import { childPids, commandLine, isAlive } from '../helpers/processes.js';
import { cookieOf, readStaffPassword, startTestPodium, testConfigInput } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

const mainScript = join(projectRoot(), 'dist', 'appliance', 'main.js');

/** Starts the built Podium as its own process and returns it with its URL. */
async function spawnPodium(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const configPath = join(dataDir, 'podium.yaml');

  writeFileSync(configPath, stringify({ ...testConfigInput(dataDir), log: { level: 'info' } }));

  const child = spawn(process.execPath, [mainScript, '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';

  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await waitFor('Podium to listen', () => /"url":"(http:[^"]+)"/.exec(output)?.[1], {
    timeoutMs: 30_000,
  }).catch((error: Error) => {
    throw new Error(`${error.message}; output: ${output.slice(-2000)}`);
  });

  return { child, url };
}

describe('Podium killed with SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-kill-'));

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('leaves no ffmpeg or worker process behind', async () => {
    expect(existsSync(mainScript), `${mainScript} missing: run npm run build first`).toBe(true);

    const { child, url } = await spawnPodium(dataDir);
    const login = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ password: readStaffPassword(dataDir) }),
    });
    const headers = { Cookie: cookieOf(login.headers) ?? '' };
    const events = (await (await fetch(`${url}/api/events`, { headers })).json()) as { events: { id: string }[] };
    const eventId = events.events[0]!.id;

    await fetch(`${url}/api/events/${eventId}/start`, { method: 'POST', headers });
    await waitFor('the event to go live', async () => {
      const state = (await (await fetch(`${url}/api/state`, { headers })).json()) as { event: { state: string } };

      return state.event.state === 'live';
    });

    const ffmpegPids = await waitFor('three ffmpeg children (camera, microphone, HLS)', () => {
      const pids = childPids(child.pid!).filter((pid) => commandLine(pid)?.includes('ffmpeg'));

      return pids.length === 3 ? pids : undefined;
    });
    const workerPids = childPids(child.pid!).filter((pid) => commandLine(pid)?.includes('mediasoup-worker'));

    expect(workerPids).toHaveLength(1);
    child.kill('SIGKILL');

    for (const pid of [...ffmpegPids, ...workerPids]) {
      await waitFor(`process ${pid} to end`, () => !isAlive(pid), { timeoutMs: 10_000 });
    }
    expect([...ffmpegPids, ...workerPids].filter(isAlive)).toEqual([]);
  });

  it('marks the interrupted event failed on the next start', async () => {
    const podium = await startTestPodium({}, dataDir);

    try {
      const { body } = await podium.api('GET', '/api/events');

      expect(body.events[0].state).toBe('failed');
      expect(body.events[0].failureCode).toBe('interrupted');
      expect(body.events[0].failureReason).toContain('Podium stopped while the event was running');
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
      await expect(page.getByTestId('failure-details').textContent()).resolves.toContain('Podium stopped');
    } finally {
      await browser.close();
      await podium.close({ keepData: true });
    }
  });
});
