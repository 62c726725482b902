import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { isAlive } from '../helpers/processes.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

function decodedFrames(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video')?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0,
  );
}

function videoTime(page: Page): Promise<number> {
  return page.evaluate(
    () => document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video')?.currentTime ?? 0,
  );
}

describe('camera capture killed mid-event', () => {
  let podium: TestPodium;
  let browser: Browser;
  let watch: Page;
  let consolePage: Page;

  beforeAll(async () => {
    podium = await startTestPodium();
    browser = await launchChromium();

    await podium.goLive();
    consolePage = await openConsole(browser, podium.baseUrl);
    watch = await browser.newPage();
    await watch.goto(`${podium.baseUrl}/watch`);
    await watch.evaluate(() => ((window as unknown as { podiumMarker: number }).podiumMarker = 1));
    await waitFor('the watch page to play', async () => (await videoTime(watch)) > 1);
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  async function lastSegment(): Promise<string | undefined> {
    const eventId = (await podium.state()).event!.id;
    const playlist = await (await fetch(`${podium.baseUrl}/hls/${eventId}/720p.m3u8`)).text();

    return playlist.split('\n').filter((line) => line.endsWith('.ts')).at(-1);
  }

  it('restarts while viewers keep playing without reload', async () => {
    const venue = podium.podium.controller.liveEvent!.venue!;
    const segmentBefore = await waitFor('an HLS segment', () => lastSegment());
    const killedPid = venue.cameraProcess!.pid!;

    process.kill(killedPid, 'SIGKILL');

    const disconnected = await waitFor('the console to report the camera', async () => {
      const state = await podium.state();

      return state.venue?.camera === 'disconnected' ? state : undefined;
    });

    await consolePage.getByTestId('camera-disconnected').waitFor({ timeout: 10_000 });
    expect(disconnected.event?.state).toBe('live');
    expect(podium.podium.supervisor.running().some((child) => child.name === 'slate')).toBe(true);

    const recovered = await waitFor(
      'the camera to come back',
      async () => ((await podium.state()).venue?.camera === 'ok' ? venue.cameraProcess : undefined),
      { timeoutMs: 15_000 },
    );
    const framesAfterRestart = await decodedFrames(watch);

    // 60 new decoded frames: two seconds of the restarted camera at 30 fps.
    await waitFor('new frames after the restart', async () => (await decodedFrames(watch)) > framesAfterRestart + 60, {
      timeoutMs: 15_000,
    });

    // The HLS packager follows the new producer and keeps writing segments.
    const segmentAfter = await waitFor(
      'HLS segments after the restart',
      async () => {
        const segment = await lastSegment();

        return segment && segment > segmentBefore! ? segment : undefined;
      },
      { timeoutMs: 15_000 },
    );

    expect(segmentAfter > segmentBefore!).toBe(true);
    expect(recovered.pid).not.toBe(killedPid);
    expect(isAlive(killedPid)).toBe(false);
    expect(podium.podium.supervisor.running().some((child) => child.name === 'slate')).toBe(false);
    expect(await watch.evaluate(() => (window as unknown as { podiumMarker?: number }).podiumMarker)).toBe(1);
    expect(await watch.getByTestId('playback-mode').getAttribute('data-mode')).toBe('webrtc');
    await consolePage.getByTestId('camera-disconnected').waitFor({ state: 'detached', timeout: 10_000 });
  });
});
