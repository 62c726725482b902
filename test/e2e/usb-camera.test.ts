import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FakeDeviceLayer } from '../../capture/devices/fake-device-layer.js';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { C920_ID, C920_NODE, deviceFixture, fakeVenueDevices } from '../helpers/fake-devices.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/** Plugs the fake C920; deliveredFps below 30 makes it a camera in a dim hall. */
function plugC920(layer: FakeDeviceLayer, deliveredFps?: number): void {
  layer.plugCamera({
    node: C920_NODE,
    stablePath: C920_ID,
    listing: deviceFixture('v4l2-formats-logitech-c920.txt'),
    deliveredFps,
  });
}

/** Returns the watch page video's playback position, in seconds. */
function playbackTime(page: Page): Promise<number> {
  return page.evaluate(
    () => document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video')?.currentTime ?? 0,
  );
}

describe('a USB camera that is slow, then unplugged, in Chromium', () => {
  let layer: FakeDeviceLayer;
  let podium: TestPodium;
  let browser: Browser;
  let console_: Page;
  let watch: Page;

  beforeAll(async () => {
    layer = fakeVenueDevices();
    plugC920(layer, 20);
    podium = await startTestPodium(
      { venue: { video: { source: 'v4l2', device: C920_ID, width: 1280, height: 720, fps: 30 } } },
      undefined,
      undefined,
      { deviceLayer: layer },
    );
    browser = await launchChromium();
    await podium.goLive();
    console_ = await openConsole(browser, podium.baseUrl);
    watch = await browser.newPage();
    await watch.goto(`${podium.baseUrl}/watch`);
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('warns when the camera delivers too few frames', async () => {
    const warning = console_.getByTestId('camera-slow');

    await warning.waitFor({ timeout: 30_000 });

    const slow = (await podium.state()).venue?.slowCamera;

    // About 20; a machine too busy to run the capture at full speed delivers fewer still.
    expect(slow?.requested).toBe(30);
    expect(slow?.delivered).toBeGreaterThan(0);
    expect(slow?.delivered).toBeLessThanOrEqual(23);
    expect(await warning.textContent()).toContain(`nur ${slow?.delivered} statt 30 Bilder pro Sekunde`);
  });

  it('shows the camera gone when unplugged', async () => {
    await waitFor('the watch page to play', async () => (await playbackTime(watch)) > 1, { timeoutMs: 30_000 });
    layer.unplugCamera(C920_NODE);
    // A real camera's ffmpeg ends with a read error when its cable is pulled.
    process.kill(podium.podium.controller.liveEvent!.venue!.cameraProcess!.pid!, 'SIGKILL');
    await console_.getByTestId('camera-disconnected').waitFor({ timeout: 30_000 });

    // The restart after the backoff lists the camera again and finds it gone.
    const venue = await waitFor('the camera problem', async () => {
      const state = (await podium.state()).venue;

      return state?.cameraProblem ? state : undefined;
    });

    expect(venue?.camera).toBe('disconnected');
    expect(venue?.slowCamera).toBeNull();
    expect(venue?.cameraProblem).toContain(`Camera ${C920_ID} is not available`);
  });

  it('resumes when plugged back in, without reload', async () => {
    plugC920(layer);
    await console_.getByTestId('camera-disconnected').waitFor({ state: 'detached', timeout: 45_000 });

    const resumedAt = await playbackTime(watch);

    await waitFor('the watch page to play on', async () => (await playbackTime(watch)) > resumedAt + 2, {
      timeoutMs: 30_000,
    });

    // A capture restart that listed the devices just before the plug may report the camera gone once more; the next one finds it.
    const venue = await waitFor('the camera reported ok', async () => {
      const state = (await podium.state()).venue;

      return state?.camera === 'ok' ? state : undefined;
    }, { timeoutMs: 45_000, intervalMs: 500 });

    expect(venue?.camera).toBe('ok');
    expect(venue?.cameraProblem).toBeUndefined();
    expect(await console_.getByTestId('camera-slow').count()).toBe(0);
  });
});
