import { statSync } from 'node:fs';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import NodeWebSocket from 'ws';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';

describe('recording on the console in Chromium', () => {
  let podium: TestPodium;
  let browser: Browser;
  let page: Page;

  /** Sends a caption over the caption feed with the staff session and waits for its "ok". */
  async function sendCaption(text: string): Promise<void> {
    const feed = new NodeWebSocket(`${podium.baseUrl.replace('http', 'ws')}/captions/feed`, { headers: { cookie: podium.staffCookie } });

    await once(feed, 'open');
    feed.send(text);

    const [reply] = await once(feed, 'message');

    expect(String(reply)).toMatch(/^ok \d+$/);
    feed.close();
  }

  beforeAll(async () => {
    podium = await startTestPodium();
    browser = await launchChromium();
    await podium.goLive();
    page = await openConsole(browser, podium.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('shows the tally while recording', async () => {
    await page.getByTestId('recording-start-stop').click();
    await sendCaption('Untertitel in der Aufnahme');

    const tally = page.getByTestId('recording-tally');

    await tally.waitFor();
    await page.waitForFunction(
      () =>
        document
          .querySelector('podium-console-page')
          ?.shadowRoot?.querySelector('podium-recording-panel')
          ?.shadowRoot?.querySelector('[data-testid="recording-tally"]')
          ?.textContent?.match(/00:00:(\d\d)/)?.[1]! >= '03',
      null,
      { timeout: 30_000 },
    );

    expect(await tally.textContent()).toContain('Aufnahme');
    expect(await page.getByTestId('recording-start-stop').textContent()).toContain('Aufnahme beenden');
  });

  it('lists the stopped recording for download', async () => {
    await page.getByTestId('recording-start-stop').click();
    await page.getByTestId('recording-tally').waitFor({ state: 'detached' });

    const item = page.getByTestId('recording-item').first();
    const download = page.waitForEvent('download');

    await item.getByRole('link', { name: 'Herunterladen' }).click();

    const file = await download;
    const path = await file.path();

    expect(file.suggestedFilename()).toMatch(/_testveranstaltung\.ts$/);
    expect(statSync(path).size).toBeGreaterThan(100_000);
  });

  it('links the captions of the recording', async () => {
    const link = page.getByTestId('recording-item').first().getByRole('link', { name: 'Untertitel (WebVTT)' });
    const download = page.waitForEvent('download');

    await link.click();

    const file = await download;

    expect(file.suggestedFilename()).toMatch(/_testveranstaltung\.vtt$/);
    expect(await readFile(await file.path(), 'utf8')).toContain('Untertitel in der Aufnahme');
  });

  it('deletes after a second tap', async () => {
    const items = page.getByTestId('recording-item');
    const remove = items.first().getByTestId('recording-delete');

    await remove.click();
    expect(await remove.textContent()).toContain('Wirklich löschen?');
    expect(await items.count()).toBe(1);
    await remove.click();
    await items.first().waitFor({ state: 'detached' });

    expect((await podium.api('GET', '/api/recordings')).body.recordings).toEqual([]);
  });
});
