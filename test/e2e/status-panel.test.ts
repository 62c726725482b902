import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';

describe('status screen on the console', () => {
  let podium: TestPodium;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    podium = await startTestPodium();
    browser = await launchChromium();
    await podium.goLive();
    page = await openConsole(browser, podium.baseUrl);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('shows a healthy live event in German', async () => {
    const summary = page.getByTestId('status-summary');

    await summary.waitFor();
    expect(await summary.textContent()).toContain('Alles in Ordnung');
    expect(await page.getByTestId('status-viewers').textContent()).toContain('0 über WebRTC, 0 über HLS');
  });

  it('names a killed compositor until it delivers again', async () => {
    const compositor = podium.podium.supervisor.running().find((child) => child.name === 'program');

    expect(compositor?.pid).toBeDefined();
    process.kill(compositor!.pid!, 'SIGKILL');
    await page.getByTestId('status-summary').getByText('Störung: HLS-Übertragung').waitFor({ timeout: 20_000 });
    await page.getByTestId('status-summary').getByText('Alles in Ordnung').waitFor({ timeout: 60_000 });
  });

  it('switches to English', async () => {
    await page.getByRole('combobox').first().selectOption('en');
    await page.getByTestId('status-summary').getByText('All good').waitFor({ timeout: 10_000 });
  });
});
