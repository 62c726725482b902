import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/** Video bytes the watch page has received over WebRTC so far. */
async function videoBytes(page: Page): Promise<number> {
  const stats = await page.evaluate(() =>
    (
      document.querySelector('podium-watch-page') as unknown as {
        receiveStats(): Promise<{ videoBytes: number }>;
      }
    ).receiveStats(),
  );

  return stats.videoBytes;
}

/**
 * Waits until the program's video producer has received `bytes` more bytes,
 * and returns the share of them that the page received meanwhile: 1.0 for a
 * page that gets every packet.
 */
async function measureReceivedShare(podium: TestPodium, page: Page, bytes: number): Promise<number> {
  const producedBytes = async () => (await podium.podium.controller.room?.producerStats('program'))?.byteCount ?? 0;
  const producedAtStart = await producedBytes();
  const receivedAtStart = await videoBytes(page);
  const producedAtEnd = await waitFor(`the camera to send ${bytes} more bytes`, async () => {
    const produced = await producedBytes();

    return produced >= producedAtStart + bytes ? produced : undefined;
  }, { timeoutMs: 60_000, intervalMs: 200 });
  const receivedAtEnd = await videoBytes(page);

  return (receivedAtEnd - receivedAtStart) / (producedAtEnd - producedAtStart);
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

/** Returns a process's state letter from /proc (T: stopped by a signal). */
function processState(pid: number): string {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').charAt(0);
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

  it('does not slow the other viewer', { timeout: 240_000 }, async () => {
    // Watch pages receive the program once the compositor publishes it, so they open after that.
    await waitFor('the program in the room', () => {
      const room = podium.podium.controller.room;

      return room?.hasSource('program') && room.hasSource('program-audio');
    }, { timeoutMs: 60_000 });

    const healthy = await openWatch(healthyBrowser, podium.baseUrl);
    const frozen = await openWatch(stalled.browser, podium.baseUrl);

    expect((await podium.api('GET', '/api/status')).body.viewers.webrtc).toBe(2);

    const shareBefore = await measureReceivedShare(podium, healthy, 1_000_000);

    // Every process of the stalled browser stops, as a frozen machine's would: it reads no packets.
    process.kill(-stalled.pid, 'SIGSTOP');
    stopped = true;
    await waitFor('the stalled browser to stop', () => processState(stalled.pid) === 'T', { timeoutMs: 5000 });

    // 1 MB is a few seconds of the program's video.
    const framesBefore = await decodedFrames(healthy);
    const shareDuringStall = await measureReceivedShare(podium, healthy, 1_000_000);

    expect(processState(stalled.pid)).toBe('T');
    console.info(`the healthy viewer received ${shareBefore.toFixed(2)} of the program's video bytes before, ${shareDuringStall.toFixed(2)} during the stall`);
    // The page's counter lags the producer's by the packets in flight, so a share of 0.8 allows for that.
    expect(shareDuringStall).toBeGreaterThan(0.8);
    expect(await decodedFrames(healthy)).toBeGreaterThan(framesBefore + 30);
    expect((await podium.state()).event?.state).toBe('live');

    process.kill(-stalled.pid, 'SIGCONT');
    stopped = false;

    const resumedAt = await decodedFrames(frozen);

    await waitFor('the stalled viewer to play again', async () => (await decodedFrames(frozen)) >= resumedAt + 30, {
      timeoutMs: 60_000,
    });
  });
});
