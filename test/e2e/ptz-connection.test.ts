import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { viscaPanTiltStop } from '../../capture/ptz/visca.js';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/** VISCA pan left at the default speeds: 81 01 06 01 VV WW 01 03 FF. */
const PAN_LEFT = /^81010601[0-9a-f]{4}0103ff$/;
const STOP = viscaPanTiltStop(1).toString('hex');

/**
 * Binds a UDP socket on 127.0.0.1 that stands for a VISCA camera; port 0
 * picks a free one. The VISCA packet of each datagram (after the 8-byte Sony
 * header) goes into received, in hexadecimal.
 */
async function bindCamera(port: number, received: string[] = []): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');

  socket.on('message', (datagram) => received.push(datagram.subarray(8).toString('hex')));
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));

  return socket;
}

describe('PTZ camera connection on the console', () => {
  let camera: dgram.Socket;
  const received: string[] = [];
  let port: number;
  let podium: TestPodium;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    camera = await bindCamera(0, received);
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

  it('shows home without pan and tilt', async () => {
    // A C920-style UVC camera: home and presets, no pan, tilt or zoom. The console's panel module is loaded.
    const shown = await page.evaluate(async () => {
      type Panel = HTMLElement & { commands: string[]; profileName: string; updateComplete: Promise<boolean> };
      const panel = document.createElement('podium-ptz-panel') as Panel;

      panel.commands = ['home', 'presetRecall', 'presetSave'];
      panel.profileName = 'UVC camera';
      document.body.append(panel);
      await panel.updateComplete;

      const root = panel.shadowRoot!;
      const result = {
        home: root.querySelector('[data-testid="ptz-home"]') !== null,
        arrows: root.querySelector('[data-testid="ptz-left"]') !== null,
        text: root.textContent ?? '',
      };

      panel.remove();

      return result;
    });

    expect(shown.home).toBe(true);
    expect(shown.arrows).toBe(false);
    expect(shown.text).not.toContain('Pfeil gedrückt halten');
  });

  it('explains PTZ errors in German', async () => {
    // The server side of these codes is tested in ptz-service.test.ts; here the console's text for each.
    const answers = [
      { code: 'PODIUM_ERR_PTZ_UNSUPPORTED', status: 409, text: 'Diese Kamera kann das nicht' },
      { code: 'PODIUM_ERR_PTZ_COMMAND_FAILED', status: 502, text: 'Die Kamera hat den Befehl nicht ausgeführt' },
    ];

    for (const answer of answers) {
      await page.route('**/api/ptz/home', (route) =>
        route.fulfill({
          status: answer.status,
          contentType: 'application/json',
          body: JSON.stringify({ code: answer.code, message: `PTZ camera "test" failed (${answer.code})` }),
        }),
      );
      await page.getByTestId('ptz-home').click();
      await page.getByText(answer.text).first().waitFor();
      await page.unroute('**/api/ptz/home');
    }
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
    camera = await bindCamera(port, received);
    await page.getByTestId('ptz-connection').filter({ hasText: 'Kamera verbunden' }).waitFor({ timeout: 20_000 });

    expect(await page.getByTestId('ptz-left').isVisible()).toBe(true);
  });

  // Last, because it closes the page.
  it('stops camera when page closes during hold', async () => {
    await page.getByTestId('ptz-connection').filter({ hasText: 'Kamera verbunden' }).waitFor();

    let moveRequests = 0;

    page.on('request', (request) => {
      if (request.url().endsWith('/api/ptz/move')) moveRequests++;
    });
    await page.getByTestId('ptz-left').hover();
    await page.mouse.down();
    const start = await waitFor(
      'the camera to pan left',
      () => {
        const index = received.findIndex((packet) => PAN_LEFT.test(packet));

        return index >= 0 ? index : undefined;
      },
      { timeoutMs: 10_000 },
    );

    // The console renews the move (the VISCA driver does not send the unchanged drive again): no stop past the lease window.
    await waitFor('renewals over 2 s', () => moveRequests >= 5, { timeoutMs: 10_000 });
    expect(received.slice(start)).not.toContain(STOP);

    // The page goes away without a release (as when the tablet crashes): no stop comes from it.
    await page.close({ runBeforeUnload: false });
    await waitFor('Podium to stop the camera', () => received.slice(start).includes(STOP), { timeoutMs: 10_000 });
  });
});
