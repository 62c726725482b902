import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/** Binds a UDP socket on 127.0.0.1 that stands for a VISCA camera; port 0 picks a free one. */
async function bindCamera(port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');

  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));

  return socket;
}

describe('PTZ camera connection on the console', () => {
  let camera: dgram.Socket;
  let port: number;
  let podium: TestPodium;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    camera = await bindCamera(0);
    port = camera.address().port;
    podium = await startTestPodium({
      ptz: { camera: 'visca-udp', viscaUdp: { host: '127.0.0.1', port, framing: 'sony-header' } },
    });
    browser = await launchChromium();
    page = await openConsole(browser, podium.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
    camera?.close();
  });

  it('shows a connected camera without an event', async () => {
    await page.getByTestId('ptz-connection').filter({ hasText: 'Kamera verbunden' }).waitFor();

    expect(await page.getByTestId('ptz-left').isVisible()).toBe(true);
    expect(await page.getByTestId('ptz-home').isVisible()).toBe(true);
    expect(await page.getByTestId('ptz-preset-0').isVisible()).toBe(true);
  });

  it('shows the camera gone and back', async () => {
    // The camera goes away: the next datagram meets a closed port, and the socket reports ECONNREFUSED.
    await new Promise<void>((resolve) => camera.close(() => resolve()));
    await waitFor('the link to fail', async () => {
      await podium.api('POST', '/api/ptz/home');

      return (await podium.api('GET', '/api/ptz')).body.connected === false ? true : undefined;
    });
    await page.getByTestId('ptz-connection').filter({ hasText: 'Kamera nicht verbunden' }).waitFor();

    expect(await page.getByTestId('ptz-left').count()).toBe(0);

    // Back on the same port: Podium reopens the link 5 s after the failure.
    camera = await bindCamera(port);
    await page.getByTestId('ptz-connection').filter({ hasText: 'Kamera verbunden' }).waitFor({ timeout: 20_000 });

    expect(await page.getByTestId('ptz-left').isVisible()).toBe(true);
  });
});
