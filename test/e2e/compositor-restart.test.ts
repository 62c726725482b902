import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { openHlsProbe, type HlsProbe } from '../helpers/hls-probe-page.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/** Frames the watch page's video element has decoded so far. */
function decodedFrames(page: Page): Promise<number> {
  return page.evaluate(() => {
    const video = document.querySelector('podium-watch-page')!.shadowRoot!.querySelector('video')!;

    return video.getVideoPlaybackQuality().totalVideoFrames;
  });
}

describe('compositor killed while viewers watch', () => {
  let podium: TestPodium;
  let browser: Browser;
  let watch: Page;
  let probe: HlsProbe;
  let eventId: string;

  beforeAll(async () => {
    podium = await startTestPodium();
    eventId = await podium.goLive();
    await waitFor('the program on HLS', async () => ((await podium.state()).outputs?.hls === 'live' ? true : undefined), {
      timeoutMs: 45_000,
    });
    browser = await launchChromium();
    watch = await browser.newPage();
    await watch.goto(`${podium.baseUrl}/watch`);
    await watch.getByTestId('playback-mode').and(watch.locator('[data-mode="webrtc"]')).waitFor({ timeout: 30_000 });
    await watch.evaluate(() => ((window as unknown as { podiumMarker: number }).podiumMarker = 1));
    probe = await openHlsProbe(browser, podium.baseUrl, `/hls/${eventId}/index.m3u8`);
    await waitFor('hls.js playing', async () => ((await probe.currentTime()) > 1 ? true : undefined), { timeoutMs: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('restarts and both players go on without reload', async () => {
    const compositor = podium.podium.supervisor.running().find((child) => child.name === 'program');
    const killedPid = compositor!.pid!;
    const fragmentsBefore = (await probe.report()).fragments.length;

    process.kill(killedPid, 'SIGKILL');
    await waitFor('a new compositor', () =>
      podium.podium.supervisor.running().some((child) => child.name === 'program' && child.pid !== killedPid) || undefined,
    { timeoutMs: 30_000 });
    await waitFor('the program live again', async () => ((await podium.state()).outputs?.hls === 'live' ? true : undefined), {
      timeoutMs: 60_000,
    });

    const framesAfter = await decodedFrames(watch);
    const timeAfter = await probe.currentTime();

    // Two seconds of new frames over WebRTC, and the HLS player's clock moving on.
    await waitFor('new WebRTC frames', async () => ((await decodedFrames(watch)) > framesAfter + 20 ? true : undefined), {
      timeoutMs: 30_000,
    });
    await waitFor('hls.js playing on', async () => ((await probe.currentTime()) > timeAfter + 2 ? true : undefined), {
      timeoutMs: 30_000,
    });

    const report = await probe.report();
    const after = report.fragments.slice(fragmentsBefore);

    expect(podium.podium.supervisor.running().find((child) => child.name === 'program')?.pid).not.toBe(killedPid);
    expect(report.errors.filter((error) => error.fatal)).toEqual([]);
    expect(report.manifestLoads).toBe(1);
    // The restarted compositor's segments come after a discontinuity.
    expect(after.some((fragment) => fragment.cc > 0)).toBe(true);
    expect(await watch.evaluate(() => (window as unknown as { podiumMarker?: number }).podiumMarker)).toBe(1);
    expect(await watch.getByTestId('playback-mode').getAttribute('data-mode')).toBe('webrtc');
  });
});
