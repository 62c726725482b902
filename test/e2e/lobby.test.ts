import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

type VideoState = { width: number; time: number; hasSource: boolean };

function videoState(page: Page): Promise<VideoState> {
  return page.evaluate(() => {
    const video = document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video');

    return {
      width: video?.videoWidth ?? 0,
      time: video?.currentTime ?? 0,
      hasSource: Boolean(video?.srcObject) || Boolean(video?.getAttribute('src')),
    };
  });
}

describe('lobby in Chromium', () => {
  let podium: TestPodium;
  let browser: Browser;
  let consolePage: Page;
  let listener: Page;
  let eventId: string;

  beforeAll(async () => {
    podium = await startTestPodium();

    const created = await podium.api('POST', '/api/events', { title: 'Lesung mit Warteraum', startsAt: '2027-03-01T18:00:00Z', lobby: true });

    eventId = created.body.id;
    await podium.api('POST', `/api/events/${eventId}/start`);
    await podium.waitForState('live');
    browser = await launchChromium();
    consolePage = await openConsole(browser, podium.baseUrl);
    listener = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('listener waits and receives no program', async () => {
    await listener.goto(`${podium.baseUrl}/watch`);
    await listener.getByTestId('notice').filter({ hasText: 'Warteraum' }).waitFor({ timeout: 20_000 });
    await consolePage.getByTestId('lobby-guest').waitFor({ timeout: 10_000 });

    const state = await videoState(listener);
    const hls = await listener.evaluate(async (url) => (await fetch(url)).status, `/hls/${eventId}/index.m3u8`);

    expect(await listener.getByTestId('playback-mode').getAttribute('data-mode')).toBe('none');
    expect(state.hasSource).toBe(false);
    expect(state.width).toBe(0);
    expect(hls).toBe(403);
    expect(await listener.getByTestId('question-text').count()).toBe(0);
    expect(await consolePage.getByTestId('lobby-enabled').isChecked()).toBe(true);
  });

  it('listener plays once staff admit them', async () => {
    await consolePage.getByTestId('lobby-admit').click();
    await listener.waitForFunction(
      () => {
        const video = document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video');

        return video !== null && video !== undefined && video.videoWidth > 0 && video.currentTime > 0;
      },
      null,
      { timeout: 20_000 },
    );

    expect(await listener.getByTestId('playback-mode').getAttribute('data-mode')).toBe('webrtc');
    expect(await consolePage.getByTestId('lobby-guest').count()).toBe(0);
    await listener.getByTestId('question-text').waitFor({ timeout: 10_000 });
  });

  it('admitted listener may fetch the HLS stream', async () => {
    const fetchPlaylist = () => listener.evaluate(async (url) => (await fetch(url)).status, `/hls/${eventId}/index.m3u8`);

    // The page trades its admission ticket for a session cookie, and the playlist appears once HLS is live.
    await waitFor('the admitted HLS playlist', async () => (await fetchPlaylist()) === 200, { timeoutMs: 45_000, intervalMs: 250 });

    expect(await listener.context().cookies()).toHaveLength(1);
  });

  it('HLS-only listener plays once admitted', async () => {
    const hlsListener = await browser.newPage();

    await hlsListener.addInitScript(() => {
      // Without WebRTC the page needs the admission's session cookie for every HLS request.
      Reflect.deleteProperty(window, 'RTCPeerConnection');
    });
    await hlsListener.goto(`${podium.baseUrl}/watch`);
    await hlsListener.getByTestId('notice').filter({ hasText: 'Warteraum' }).waitFor({ timeout: 20_000 });
    await consolePage.getByTestId('lobby-admit').click();
    await hlsListener.waitForFunction(
      () => {
        const video = document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video');

        return video !== null && video !== undefined && video.videoWidth > 0 && video.currentTime > 1;
      },
      null,
      { timeout: 45_000 },
    );

    expect(await hlsListener.getByTestId('playback-mode').getAttribute('data-mode')).toBe('hls');
    await hlsListener.close();
  });

  it('watch page has volume and full screen controls', async () => {
    await listener.getByTestId('volume').fill('30');

    const volume = await listener.evaluate(
      () => document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video')?.volume ?? -1,
    );

    expect(volume).toBeCloseTo(0.3, 2);
    expect(await listener.getByTestId('fullscreen').textContent()).toContain('Vollbild');
  });
});
