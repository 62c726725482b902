import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Returns the horizontal centre of the synthetic scene's red marker in the
 * watch page's current video frame, in video pixels, or -1 when no red is
 * in view. The marker is the only pure red region of the scene.
 */
function markerX(page: Page): Promise<number> {
  return page.evaluate(() => {
    const video = document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video');

    if (!video || video.videoWidth === 0) return -1;

    const canvas = document.createElement('canvas');

    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;

    const context = canvas.getContext('2d')!;

    context.drawImage(video, 0, 0);

    const pixels = context.getImageData(0, 0, canvas.width, canvas.height / 3).data;
    let sum = 0;
    let count = 0;

    for (let index = 0; index < pixels.length; index += 4) {
      if (pixels[index]! > 180 && pixels[index + 1]! < 80 && pixels[index + 2]! < 80) {
        sum += (index / 4) % canvas.width;
        count++;
      }
    }

    return count > 50 ? sum / count : -1;
  });
}

/** Waits until a reading stays the same (within tolerance) over two polls 500 ms apart, and returns it. */
async function settled(description: string, read: () => Promise<number> | number, tolerance = 0): Promise<number> {
  let previous = await read();

  return waitFor(
    description,
    async () => {
      const current = await read();
      const stable = Math.abs(current - previous) <= tolerance;

      previous = current;

      return stable ? current : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 500 },
  );
}

describe('PTZ panel on the console', () => {
  let podium: TestPodium;
  let browser: Browser;
  let consolePage: Page;
  let watch: Page;

  beforeAll(async () => {
    podium = await startTestPodium();
    browser = await launchChromium();

    await podium.goLive();
    consolePage = await openConsole(browser, podium.baseUrl);
    watch = await browser.newPage();
    await watch.goto(`${podium.baseUrl}/watch`);
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('holding pan left shifts the picture to the right', async () => {
    const before = await waitFor('the red marker in view', async () => {
      const x = await markerX(watch);

      return x >= 0 ? x : undefined;
    });
    const button = consolePage.getByTestId('ptz-left');

    await button.waitFor();
    await button.hover();
    await consolePage.mouse.down();
    await waitFor('the camera to pan', () => podium.podium.controller.liveEvent!.venue!.simulatedCamera!.window.x <= 640 - 200);
    await consolePage.mouse.up();

    const camera = podium.podium.controller.liveEvent!.venue!.simulatedCamera!;
    // A step already sent when the button came up still lands, so wait for the window to rest.
    const finalX = await settled('the camera to rest', () => camera.window.x);
    // Panning left by d scene pixels moves the marker d video pixels to the right (zoom 1).
    const expectedX = before + (640 - finalX);
    const after = await waitFor('the marker to move right', async () => {
      const x = await markerX(watch);

      return Math.abs(x - expectedX) < 20 ? x : undefined;
    });

    expect(after).toBeGreaterThan(before + 150);
    expect(camera.window.y).toBe(360);
  });

  it('stops when the button is released', async () => {
    const camera = podium.podium.controller.liveEvent!.venue!.simulatedCamera!;
    const stoppedAt = camera.window.x;
    const restingMarker = await settled('the picture to rest', () => markerX(watch), 4);

    // Two repeat periods of the Logitech profile (2 × 200 ms) and more pass without a move.
    await settled('the window to stay', () => camera.window.x);

    expect(camera.window.x).toBe(stoppedAt);
    expect(Math.abs((await markerX(watch)) - restingMarker)).toBeLessThan(8);
  });

  it('saves a position with a long press and recalls it with a tap', async () => {
    const camera = podium.podium.controller.liveEvent!.venue!.simulatedCamera!;
    const preset = consolePage.getByTestId('ptz-preset-2');
    const savedX = await settled('the camera to rest', () => camera.window.x);

    await preset.hover();
    await consolePage.mouse.down();
    await consolePage.getByTestId('ptz-status').filter({ hasText: 'gespeichert' }).waitFor();
    await consolePage.mouse.up();

    const right = consolePage.getByTestId('ptz-right');

    await right.hover();
    await consolePage.mouse.down();
    await waitFor('the camera to pan right', () => camera.window.x >= savedX + 120);
    await consolePage.mouse.up();
    await settled('the camera to rest', () => camera.window.x);
    await preset.click();
    await consolePage.getByTestId('ptz-status').filter({ hasText: 'abgerufen' }).waitFor();
    await waitFor('the saved position', () => camera.window.x === savedX);

    expect(await consolePage.getByTestId('ptz-status').textContent()).toContain('Totale');
    expect(camera.window.x).toBe(savedX);
  });
});
