import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { PipedRouter } from '../../appliance/sfu/piped-router.js';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

type Playback = { width: number; time: number; videoBytes: number; audioBytes: number };

/** Returns the watch page's picture width, play position and received bytes. */
function playback(page: Page): Promise<Playback> {
  return page.evaluate(async () => {
    const element = document.querySelector('podium-watch-page') as unknown as HTMLElement & {
      receiveStats(): Promise<{ audioBytes: number; videoBytes: number }>;
    };
    const video = element.shadowRoot?.querySelector('video');
    const stats = await element.receiveStats();

    return { width: video?.videoWidth ?? 0, time: video?.currentTime ?? 0, ...stats };
  });
}

async function waitUntilPlaying(page: Page): Promise<Playback> {
  await page.waitForFunction(
    () => {
      const video = document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video');

      return video !== null && video !== undefined && video.videoWidth > 0 && video.currentTime > 0;
    },
    null,
    { timeout: 45_000 },
  );

  return playback(page);
}

describe('watch pages beyond one worker', () => {
  let podium: TestPodium;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => {
    podium = await startTestPodium({ sfu: { workers: 2, viewersPerWorker: 2 } });
    browser = await launchChromium();
    await podium.goLive();
    // Pages then receive the program from the start, not the venue first and the program later.
    await waitFor('the program', async () => ((await podium.state()).outputs?.hls === 'live' ? true : undefined), {
      timeoutMs: 60_000,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('serves two viewers from worker 0', async () => {
    for (let index = 0; index < 2; index++) {
      const page = await browser.newPage();

      await page.goto(`${podium.baseUrl}/watch`);
      await waitUntilPlaying(page);
      pages.push(page);
    }

    expect(podium.podium.sfu.viewersPerWorker()).toEqual([2, 0]);
    expect((await podium.podium.controller.room!.pipedRouters()).size).toBe(0);
  });

  it('third viewer plays from worker 1 through a pipe', async () => {
    const page = await browser.newPage();

    await page.goto(`${podium.baseUrl}/watch`);
    pages.push(page);

    const first = await waitUntilPlaying(page);

    expect(podium.podium.sfu.viewersPerWorker()).toEqual([2, 1]);

    const piped = (await podium.podium.controller.room!.pipedRouters()).get(1);

    expect(piped).toBeDefined();
    // The program's picture and sound are both piped, under their producers' own ids.
    expect(piped!.pipedProducerIds()).toHaveLength(2);

    const packets = await piped!.receivedPackets();

    await page.waitForFunction(
      (time) => (document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video')?.currentTime ?? 0) > time + 1,
      first.time,
      { timeout: 30_000 },
    );

    const later = await playback(page);

    expect(first.width).toBe(1280);
    expect(later.videoBytes).toBeGreaterThan(first.videoBytes);
    expect(later.audioBytes).toBeGreaterThan(first.audioBytes);
    expect(await piped!.receivedPackets()).toBeGreaterThan(packets);
  });

  it('closes the pipe when the third viewer leaves', async () => {
    const piped = (await podium.podium.controller.room!.pipedRouters()).get(1) as PipedRouter;

    await pages.pop()!.close();
    await waitFor('the piped router to close', () => piped.closed, { timeoutMs: 20_000 });

    expect(podium.podium.sfu.viewersPerWorker()).toEqual([2, 0]);
    expect(piped.pipedProducerIds()).toEqual([]);
  });

  it('first viewers keep playing meanwhile', async () => {
    const before = await playback(pages[0]!);

    await waitFor('more video bytes on the first page', async () => (await playback(pages[0]!)).videoBytes > before.videoBytes, {
      timeoutMs: 30_000,
    });
  });
});
