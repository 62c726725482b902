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

/**
 * Returns the width and the horizontal centre in video pixels of the red
 * marker in the watch page's current frame: the columns with at least 3 red
 * pixels above the moving test picture (which has red in it). The marker is
 * 80 scene pixels wide, so at zoom 1 it is 80 wide. windowWidth is the
 * camera's crop width in scene pixels.
 */
function markerColumns(page: Page, windowWidth: number): Promise<{ width: number; centre: number }> {
  // The test picture's top edge is 180 scene pixels below the window's centre (scene y 540 against 720).
  const rows = Math.floor(360 - (180 * 1280) / windowWidth) - 2;

  return page.evaluate((rowCount) => {
    const video = document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video');

    if (!video || video.videoWidth === 0) return { width: 0, centre: -1 };

    const canvas = document.createElement('canvas');

    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;

    const context = canvas.getContext('2d')!;

    context.drawImage(video, 0, 0);

    const pixels = context.getImageData(0, 0, canvas.width, rowCount).data;
    const redPerColumn = new Array<number>(canvas.width).fill(0);

    for (let index = 0; index < pixels.length; index += 4) {
      if (pixels[index]! > 180 && pixels[index + 1]! < 80 && pixels[index + 2]! < 80) {
        redPerColumn[(index / 4) % canvas.width]!++;
      }
    }

    const columns = redPerColumn.flatMap((count, column) => (count >= 3 ? [column] : []));
    const centre = columns.length > 0 ? columns.reduce((sum, column) => sum + column, 0) / columns.length : -1;

    return { width: columns.length, centre };
  }, rows);
}

/** The crop window of the simulated camera at home: the middle of the 2560x1440 scene at zoom 1. */
const HOME_WINDOW = { x: 640, y: 360, width: 1280, height: 720 };

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

  it('names the simulated camera as such', async () => {
    const state = consolePage.getByTestId('ptz-connection');

    await state.filter({ hasText: 'Simulierte Kamera des Testbilds' }).waitFor();

    expect(await state.textContent()).not.toContain('Logitech');
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

  it('holding zoom in enlarges the marker', async () => {
    const camera = podium.podium.controller.liveEvent!.venue!.simulatedCamera!;
    const capture = podium.podium.controller.liveEvent!.venue!.cameraProcess;

    await consolePage.getByTestId('ptz-home').click();
    await waitFor('the camera at home', () => camera.window.x === HOME_WINDOW.x && camera.window.width === HOME_WINDOW.width);

    const markerWidth = async (windowWidth: number) => (await markerColumns(watch, windowWidth)).width;

    await waitFor('the marker in view', async () => ((await markerWidth(HOME_WINDOW.width)) > 0 ? true : undefined));

    const before = await settled('the picture at home', () => markerWidth(HOME_WINDOW.width), 2);
    const zoomIn = consolePage.getByTestId('ptz-zoom-in');

    await zoomIn.hover();
    await consolePage.mouse.down();
    // Two zoom steps of 1.1 each make the window 1058 scene pixels wide.
    await waitFor('the camera to zoom in', () => camera.window.width <= 1070);
    await consolePage.mouse.up();

    const finalWidth = await settled('the zoom to rest', () => camera.window.width);
    const expected = (80 * 1280) / finalWidth;
    const after = await waitFor('the marker to grow', async () => {
      const width = await markerWidth(finalWidth);

      return Math.abs(width - expected) < 6 ? width : undefined;
    });

    expect(Math.abs(before - 80)).toBeLessThan(6);
    expect(after).toBeGreaterThan(before + 12);
    expect(camera.window.width).toBe(finalWidth);
    // The running capture zoomed: it was not restarted to show the new window.
    expect(podium.podium.controller.liveEvent!.venue!.cameraProcess).toBe(capture);
    expect((await podium.state()).venue?.camera).toBe('ok');
  });

  it('home restores the whole view', async () => {
    const camera = podium.podium.controller.liveEvent!.venue!.simulatedCamera!;
    const capture = podium.podium.controller.liveEvent!.venue!.cameraProcess;

    expect(camera.window.width).toBeLessThan(HOME_WINDOW.width);
    await consolePage.getByTestId('ptz-home').click();
    await waitFor('the camera at home', () => camera.window.width === HOME_WINDOW.width);

    const marker = await waitFor('the marker at its home size and place', async () => {
      const measured = await markerColumns(watch, HOME_WINDOW.width);

      return Math.abs(measured.width - 80) < 6 && Math.abs(measured.centre - 640) < 6 ? measured : undefined;
    });

    expect(camera.window).toEqual(HOME_WINDOW);
    expect(Math.abs(marker.width - 80)).toBeLessThan(6);
    expect(Math.abs(marker.centre - 640)).toBeLessThan(6);
    expect(podium.podium.controller.liveEvent!.venue!.cameraProcess).toBe(capture);
  });
});
