import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/** Frames the watch page's video has decoded so far. */
function decodedFrames(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video')?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0,
  );
}

/** Lists the ids of the Chromium processes this process started. */
function chromiumChildPids(): Set<number> {
  const output = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  const pids = output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, command]) => pid && command?.startsWith('chrom'))
    .map(([pid]) => Number(pid));

  return new Set(pids);
}

/** Launches Chromium and returns it with its main process id; playwright starts each browser as the leader of a new process group. */
async function launchWithPid(): Promise<{ browser: Browser; pid: number }> {
  const before = chromiumChildPids();
  const browser = await launchChromium();
  const started = [...chromiumChildPids()].filter((pid) => !before.has(pid));

  if (started.length !== 1) throw new Error(`expected one new Chromium process, found ${started.length}`);

  return { browser, pid: started[0]! };
}

async function openWatch(browser: Browser, baseUrl: string): Promise<Page> {
  const page = await browser.newPage();

  await page.goto(`${baseUrl}/watch`);
  await waitFor('the watch page to decode frames', async () => (await decodedFrames(page)) > 30);

  return page;
}

describe('a WebRTC viewer whose browser stalls', () => {
  let podium: TestPodium;
  let healthyBrowser: Browser;
  let stalled: { browser: Browser; pid: number };
  let stopped = false;

  beforeAll(async () => {
    podium = await startTestPodium();
    await podium.goLive();
    healthyBrowser = await launchChromium();
    stalled = await launchWithPid();
  });

  afterAll(async () => {
    if (stopped) process.kill(-stalled.pid, 'SIGCONT');
    await stalled?.browser.close();
    await healthyBrowser?.close();
    await podium?.close();
  });

  it('does not slow the other viewer', async () => {
    const healthy = await openWatch(healthyBrowser, podium.baseUrl);
    const frozen = await openWatch(stalled.browser, podium.baseUrl);

    expect((await podium.api('GET', '/api/status')).body.viewers.webrtc).toBe(2);

    // Every process of the stalled browser stops, as a frozen machine's would: it reads no packets.
    process.kill(-stalled.pid, 'SIGSTOP');
    stopped = true;

    // 300 frames are 10 s at the venue's 30 fps; the deadline allows a busy machine 10 fps.
    const start = await decodedFrames(healthy);

    await waitFor('the healthy viewer to decode 300 more frames', async () => (await decodedFrames(healthy)) >= start + 300, {
      timeoutMs: 30_000,
    });
    expect((await podium.state()).event?.state).toBe('live');

    process.kill(-stalled.pid, 'SIGCONT');
    stopped = false;

    const resumedAt = await decodedFrames(frozen);

    await waitFor('the stalled viewer to play again', async () => (await decodedFrames(frozen)) >= resumedAt + 30, {
      timeoutMs: 30_000,
    });
  });
});
