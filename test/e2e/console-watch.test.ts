import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';

type VideoState = { width: number; height: number; time: number };

function videoState(page: Page): Promise<VideoState> {
  return page.evaluate(() => {
    const video = document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video');

    return { width: video?.videoWidth ?? 0, height: video?.videoHeight ?? 0, time: video?.currentTime ?? 0 };
  });
}

function receiveStats(page: Page): Promise<{ audioBytes: number; videoBytes: number }> {
  return page.evaluate(() =>
    (document.querySelector('podium-watch-page') as unknown as {
      receiveStats(): Promise<{ audioBytes: number; videoBytes: number }>;
    }).receiveStats(),
  );
}

describe('console and watch page in Chromium', () => {
  let podium: TestPodium;
  let browser: Browser;
  let consolePage: Page;
  let watchPage: Page;

  beforeAll(async () => {
    podium = await startTestPodium();
    browser = await launchChromium();
    consolePage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    watchPage = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('watch page says the event has not begun', async () => {
    await watchPage.goto(`${podium.baseUrl}/watch`);

    await expectText(watchPage, 'notice', 'noch nicht begonnen');
    expect(await watchPage.getAttribute('html', 'lang')).toBe('de');
  });

  it('console shows the first staff password once', async () => {
    await consolePage.goto(`${podium.baseUrl}/console`);
    await consolePage.getByTestId('initial-password').waitFor({ timeout: 10_000 });

    expect(await consolePage.getByTestId('initial-password').textContent()).toContain(podium.staffPassword);
    await consolePage.getByTestId('initial-password-dismiss').click();
    await consolePage.reload();
    await consolePage.getByTestId('event-state').waitFor();
    expect(await consolePage.getByTestId('initial-password').count()).toBe(0);
  });

  it('console Start puts the event live', async () => {
    await consolePage.getByTestId('start-stop').click();
    await consolePage.getByTestId('event-state').filter({ hasText: 'Live' }).waitFor({ timeout: 45_000 });

    expect((await podium.state()).event?.state).toBe('live');
  });

  it('watch page plays 1280x720 over WebRTC', async () => {
    // The watch page is open while the event goes live. The target is about
    // 2 s from live to picture, and this bound is five times that.
    await watchPage.waitForFunction(
      () => {
        const video = document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video');

        return video !== null && video !== undefined && video.videoWidth > 0 && video.currentTime > 0;
      },
      null,
      { timeout: 10_000 },
    );

    const first = await videoState(watchPage);
    const firstStats = await receiveStats(watchPage);

    await watchPage.waitForFunction(
      (time) => (document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video')?.currentTime ?? 0) > time + 1,
      first.time,
      { timeout: 10_000 },
    );

    const later = await receiveStats(watchPage);

    expect(await watchPage.getByTestId('playback-mode').getAttribute('data-mode')).toBe('webrtc');
    expect(first.width).toBe(1280);
    expect(first.height).toBe(720);
    expect(later.videoBytes).toBeGreaterThan(firstStats.videoBytes);
    expect(later.audioBytes).toBeGreaterThan(firstStats.audioBytes);
  });

  it('console shows viewers, outputs and the microphone level', async () => {
    await consolePage.getByTestId('viewers').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
    await consolePage.getByTestId('output-hls').filter({ hasText: 'liefert' }).waitFor({ timeout: 30_000 });
    await consolePage.waitForFunction(
      () => {
        const meter = document
          .querySelector('podium-console-page')
          ?.shadowRoot?.querySelector('podium-level-meter') as unknown as { peakDb: number } | null;

        return meter !== null && Number.isFinite(meter.peakDb) && meter.peakDb > -20;
      },
      null,
      { timeout: 10_000 },
    );

    expect(await consolePage.getByTestId('output-room').textContent()).toContain('liefert');
    expect(await consolePage.getByTestId('elapsed').textContent()).toMatch(/00:00:\d\d/);
  });

  it('console switches to English', async () => {
    await consolePage.locator('podium-language-switch select').selectOption('en');

    expect(await consolePage.getByTestId('start-stop').textContent()).toContain('Stop');
    expect(await consolePage.getAttribute('html', 'lang')).toBe('en');
  });

  it('console Stop asks once more, then ends the event', async () => {
    await consolePage.getByTestId('start-stop').click();
    await consolePage.getByTestId('start-stop').filter({ hasText: 'Really stop?' }).waitFor();
    expect((await podium.state()).event?.state).toBe('live');
    await consolePage.getByTestId('start-stop').click();
    await consolePage.getByTestId('event-state').filter({ hasText: 'Ended' }).waitFor({ timeout: 30_000 });
    await expectText(watchPage, 'notice', 'beendet');

    expect(await watchPage.getByTestId('playback-mode').getAttribute('data-mode')).toBe('none');
    expect(podium.podium.supervisor.running()).toEqual([]);
  });
});

async function expectText(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).filter({ hasText: text }).waitFor({ timeout: 20_000 });
  expect(await page.getByTestId(testId).textContent()).toContain(text);
}
