import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';

/** Starts the test event and waits until it is live and its HLS output delivers. */
async function goLive(podium: TestPodium): Promise<void> {
  const { body } = await podium.api('GET', '/api/events');

  await podium.api('POST', `/api/events/${body.events[0].id}/start`);
  await podium.waitForState('live');
}

/** Waits until the watch page plays 1280-wide frames whose time advances. */
async function expectPlaying(page: Page): Promise<void> {
  const read = () =>
    page.evaluate(() => {
      const video = document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video');

      return { width: video?.videoWidth ?? 0, time: video?.currentTime ?? 0 };
    });

  await page.waitForFunction(
    () => (document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video')?.currentTime ?? 0) > 0,
    null,
    { timeout: 45_000 },
  );

  const first = await read();

  await page.waitForFunction(
    (time) => (document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video')?.currentTime ?? 0) > time + 1,
    first.time,
    { timeout: 20_000 },
  );
  expect(first.width).toBe(1280);
}

describe('watch page falls back to HLS', () => {
  let podium: TestPodium | undefined;
  let browser: Browser | undefined;

  afterEach(async () => {
    await browser?.close();
    await podium?.close();
    browser = undefined;
    podium = undefined;
  });

  it('plays HLS when the browser has no RTCPeerConnection', async () => {
    podium = await startTestPodium();
    browser = await launchChromium();

    const page = await browser.newPage();
    const logs: string[] = [];

    page.on('console', (message) => logs.push(message.text()));
    await page.addInitScript(() => {
      // Simulates a browser without WebRTC (some locked-down kiosks).
      Reflect.deleteProperty(window, 'RTCPeerConnection');
      Reflect.deleteProperty(window, 'webkitRTCPeerConnection');
    });
    await goLive(podium);
    await page.goto(`${podium.baseUrl}/watch`);
    await expectPlaying(page);

    expect(await page.getByTestId('playback-mode').getAttribute('data-mode')).toBe('hls');
    expect(await page.getByTestId('playback-mode').textContent()).toContain('HLS');
    expect(logs.some((line) => line.includes('no RTCPeerConnection'))).toBe(true);
  });

  it('plays HLS when ICE cannot connect', async () => {
    // The server announces 127.0.0.3, where nothing listens, so neither the
    // UDP nor the TCP candidate connects.
    podium = await startTestPodium({ sfu: { announcedAddress: '127.0.0.3' }, watch: { hlsFallbackSeconds: 5 } });
    browser = await launchChromium();

    const page = await browser.newPage();
    const logs: string[] = [];

    page.on('console', (message) => logs.push(message.text()));
    await goLive(podium);

    const openedAt = Date.now();

    await page.goto(`${podium.baseUrl}/watch`);
    await page.getByTestId('playback-mode').and(page.locator('[data-mode="hls"]')).waitFor({ timeout: 30_000 });

    const fellBackAfterMs = Date.now() - openedAt;

    await expectPlaying(page);

    expect(fellBackAfterMs).toBeGreaterThan(1_000);
    expect(logs.some((line) => /no WebRTC connection within|WebRTC connection failed/.test(line))).toBe(true);
    expect(await page.getByTestId('playback-mode').textContent()).toContain('HLS');
  });
});
