import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { C920_ID, fakeVenueDevices, HDMI_METADATA_NODE, HDMI_STICK_NODE } from '../helpers/fake-devices.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

const MINI_MIC = 'CARD=Mini,DEV=0';

/**
 * Decodes a camera's preview picture in the page and returns a checksum of
 * its pixels, or undefined while it shows no loaded picture.
 */
function previewChecksum(page: Page, device: string): Promise<number | undefined> {
  return page
    .locator(`[data-testid="camera"][data-device="${device}"] img`)
    .evaluate((element) => {
      const image = element as HTMLImageElement;

      if (!image.complete || image.naturalWidth === 0) return undefined;

      const canvas = document.createElement('canvas');

      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;

      const context = canvas.getContext('2d')!;

      context.drawImage(image, 0, 0);

      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;

      for (let index = 0; index < pixels.length; index += 1) sum = (sum * 31 + pixels[index]!) % 1_000_000_007;

      return sum;
    })
    .catch(() => undefined);
}

/** Returns the level meter reading of a microphone in dBFS, as the meter announces it. */
async function meterReading(page: Page, device: string): Promise<number> {
  const value = await page.locator(`[data-testid="microphone"][data-device="${device}"] [role="meter"]`).getAttribute('aria-valuenow');

  return Number(value);
}

describe('device setup on the console', () => {
  let podium: TestPodium;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    podium = await startTestPodium({}, undefined, undefined, { deviceLayer: fakeVenueDevices() });
    browser = await launchChromium();
    page = await openConsole(browser, podium.baseUrl);
    await page.getByTestId('open-setup').click();
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('lists cameras and microphones', async () => {
    const cameras = page.getByTestId('camera');

    await waitFor('the fake cameras', async () => ((await cameras.count()) === 3 ? true : undefined), { timeoutMs: 20_000 });

    const devices = await cameras.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-device')));

    expect(devices).toEqual(['test-pattern', C920_ID, HDMI_STICK_NODE]);
    expect(devices).not.toContain(HDMI_METADATA_NODE);
    await expect
      .poll(() => page.locator(`[data-testid="camera"][data-device="${C920_ID}"]`).textContent())
      .toContain('MJPEG 1280x720 at 30 fps');

    const microphones = await page
      .getByTestId('microphone')
      .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-device')));

    expect(microphones).toEqual(['test-tone', MINI_MIC, 'CARD=HD3000,DEV=0']);
    expect(await page.locator(`[data-testid="microphone"][data-device="${MINI_MIC}"]`).textContent()).toContain(
      'plughw:CARD=Mini,DEV=0',
    );
  });

  it('camera preview changes over time', async () => {
    const first = await waitFor('a first preview picture', () => previewChecksum(page, C920_ID), { timeoutMs: 20_000 });
    const second = await waitFor(
      'a different preview picture',
      async () => {
        const checksum = await previewChecksum(page, C920_ID);

        return checksum !== undefined && checksum !== first ? checksum : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );

    expect(second).not.toBe(first);
  });

  it('microphone meter moves', async () => {
    const readings = new Set<number>();

    await waitFor(
      'the meter to show rising and falling levels',
      async () => {
        const reading = await meterReading(page, MINI_MIC);

        if (reading > -60) readings.add(reading);

        return readings.size >= 2 && Math.max(...readings) - Math.min(...readings) >= 3 ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 150 },
    );
    expect(Math.max(...readings)).toBeLessThanOrEqual(0);
  });

  it('picked devices are persisted', async () => {
    await page.locator(`[data-testid="camera"][data-device="${HDMI_STICK_NODE}"] input`).check();
    await expect.poll(() => page.getByTestId('setup-status').textContent()).toContain('gespeichert');
    await page.locator(`[data-testid="microphone"][data-device="${MINI_MIC}"] input`).check();
    await expect
      .poll(async () => (await podium.api('GET', '/api/devices')).body.selection)
      .toEqual({ camera: HDMI_STICK_NODE, microphone: MINI_MIC });
    expect(podium.podium.devices.venueConfig().video).toMatchObject({ source: 'v4l2', device: HDMI_STICK_NODE });
    expect(podium.podium.devices.venueConfig().audio).toMatchObject({ source: 'alsa', device: `hw:${MINI_MIC}` });

    await page.reload();
    await page.getByTestId('open-setup').click();

    const checked = page.locator(`[data-testid="camera"][data-device="${HDMI_STICK_NODE}"] input`);

    await expect.poll(() => checked.isChecked()).toBe(true);
  });

  it('rejects an unknown camera', async () => {
    const response = await podium.api('POST', '/api/devices/selection', { camera: '/dev/video99', microphone: 'test-tone' });

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('PODIUM_ERR_DEVICE_NOT_FOUND');
    expect(response.body.message).toContain('/dev/video99');
  });
});

describe('console with a missing camera', () => {
  let podium: TestPodium;
  let browser: Browser;

  beforeAll(async () => {
    podium = await startTestPodium({ venue: { video: { source: 'v4l2', device: '/dev/video7' } } }, undefined, undefined, {
      deviceLayer: fakeVenueDevices(),
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('names the camera and what to do', async () => {
    // The slate replaces the missing camera, so the event goes live.
    await podium.goLive();

    const page = await openConsole(browser, podium.baseUrl);
    const problem = page.getByTestId('device-problem');

    await expect.poll(() => problem.count(), { timeout: 15_000 }).toBe(1);

    const text = await problem.textContent();

    expect(text).toContain('Gerät nicht bereit');
    expect(text).toContain('Camera /dev/video7 is not available');
    expect(text).toContain('choose another device in the setup screen');
  });
});
