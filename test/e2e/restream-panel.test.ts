import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { RtmpTestServer } from '../helpers/rtmp-server.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';

const STREAM_KEY = 'owncast-5e1d9b';

describe('restream targets on the console in Chromium', () => {
  let server: RtmpTestServer;
  let podium: TestPodium;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await RtmpTestServer.start();
    podium = await startTestPodium();
    browser = await launchChromium();
    page = await openConsole(browser, podium.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
    await server?.close();
  });

  it('adds a target and hides its key', async () => {
    await page.getByTestId('restream-name').fill('Owncast');
    await page.getByTestId('restream-url').fill(server.url);
    await page.getByTestId('restream-key').fill(STREAM_KEY);
    await page.getByTestId('restream-add').click();

    const item = page.getByTestId('restream-item');

    await item.waitFor();

    expect(await item.textContent()).toContain('Owncast');
    expect(await item.textContent()).toContain('…1d9b');
    expect(await item.textContent()).not.toContain(STREAM_KEY);
    expect(await page.getByTestId('restream-key').inputValue()).toBe('');
  });

  it('shows the target live during the event', async () => {
    await podium.goLive();
    await page.locator('[data-testid="restream-state"][data-state="live"]').waitFor({ timeout: 45_000 });

    expect(await page.getByTestId('restream-state').textContent()).toContain('live');
    expect(server.recordings(STREAM_KEY)).toHaveLength(1);
  });
});
