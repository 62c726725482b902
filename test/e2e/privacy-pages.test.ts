import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';

const HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1"><b>Lesung</b>';

type Visit = { requests: string[]; violations: string[] };

/** Opens a page, waits until it has settled, and returns every request and CSP complaint. */
async function visit(context: BrowserContext, url: string, settled: (page: Page) => Promise<unknown>): Promise<Visit & { page: Page }> {
  const page = await context.newPage();
  const requests: string[] = [];
  const violations: string[] = [];

  page.on('request', (request) => requests.push(request.url()));
  page.on('websocket', (socket) => requests.push(socket.url()));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) violations.push(message.text());
  });
  await page.goto(url);
  await settled(page);

  return { page, requests, violations };
}

describe('pages in Chromium', () => {
  let podium: TestPodium;
  let browser: Browser;
  let context: BrowserContext;
  let origin: string;

  beforeAll(async () => {
    podium = await startTestPodium();
    origin = new URL(podium.baseUrl).origin;

    const created = await podium.api('POST', '/api/events', { title: HOSTILE_TITLE, startsAt: '2027-04-01T18:00:00Z' });

    await podium.api('POST', `/api/events/${created.body.id}/select`);
    await podium.api('POST', `/api/events/${created.body.id}/start`);
    await podium.waitForState('live');
    browser = await launchChromium();
    context = await browser.newContext();
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('request nothing from another host', async () => {
    const visits = [
      await visit(context, `${podium.baseUrl}/watch`, (page) =>
        page.waitForFunction(
          () => (document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video')?.currentTime ?? 0) > 0.5,
          null,
          { timeout: 30_000 },
        ),
      ),
      await visit(context, `${podium.baseUrl}/console`, (page) => page.getByTestId('event-state').waitFor()),
      await visit(context, `${podium.baseUrl}/login`, (page) => page.locator('podium-login-page').waitFor()),
      await visit(context, `${podium.baseUrl}/datenschutz`, (page) => page.locator('h1').waitFor()),
    ];
    const requests = visits.flatMap((entry) => entry.requests);
    const webSocketOrigin = origin.replace(/^http/, 'ws');
    const foreign = requests.filter(
      (url) =>
        !url.startsWith(origin) && !url.startsWith(webSocketOrigin) && !url.startsWith('blob:') && !url.startsWith('data:'),
    );

    expect(requests.length).toBeGreaterThan(8);
    expect(requests.some((url) => url.includes('/signaling'))).toBe(true);
    expect(foreign).toEqual([]);
    expect(visits.flatMap((entry) => entry.violations)).toEqual([]);
  });

  it('show an event title with HTML as text', async () => {
    const watch = await context.newPage();
    const consolePage = await context.newPage();

    await watch.goto(`${podium.baseUrl}/watch`);
    await consolePage.goto(`${podium.baseUrl}/console`);
    await watch.locator('h1').filter({ hasText: 'Lesung' }).waitFor();
    await consolePage.locator('#event-title').waitFor();

    expect(await watch.locator('h1').textContent()).toBe(HOSTILE_TITLE);
    expect(await consolePage.locator('#event-title').textContent()).toBe(HOSTILE_TITLE);
    expect(await watch.locator('img[src="x"]').count()).toBe(0);
    expect(await consolePage.locator('img[src="x"]').count()).toBe(0);
    expect(await watch.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('link the privacy notice from the public pages', async () => {
    for (const path of ['/watch', '/login']) {
      const page = await context.newPage();

      await page.goto(`${podium.baseUrl}${path}`);
      await page.getByTestId('privacy-link').waitFor();
      expect(await page.getByTestId('privacy-link').getAttribute('href'), path).toMatch(/^\/datenschutz/);
    }
  });
});

describe('a question with HTML', () => {
  it('shows as text on the console', async () => {
    const podium = await startTestPodium();
    const browser = await launchChromium();

    try {
      const { body } = await podium.api('GET', '/api/events');

      await podium.api('POST', `/api/events/${body.events[0].id}/start`);
      await podium.waitForState('live');

      const consolePage = await browser.newPage();
      const watch = await browser.newPage();
      const hostile = '<img src=x onerror="window.__pwned=1">Wie <b>laut</b> ist es?';

      await consolePage.goto(`${podium.baseUrl}/console`);
      await consolePage.getByTestId('initial-password-dismiss').click();
      await watch.goto(`${podium.baseUrl}/watch`);
      await watch.getByTestId('question-name').fill('<i>Anna</i>');
      await watch.getByTestId('question-text').fill(hostile);
      await watch.getByTestId('question-submit').click();
      await watch.getByTestId('question-status').filter({ hasText: 'angekommen' }).waitFor();
      await consolePage.getByTestId('question').first().waitFor();

      expect(await consolePage.getByTestId('question').first().locator('.text').textContent()).toBe(hostile);
      expect(await consolePage.getByTestId('question').first().locator('.author').textContent()).toBe('<i>Anna</i>');
      expect(await consolePage.locator('img[src="x"]').count()).toBe(0);
      expect(await consolePage.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    } finally {
      await browser.close();
      await podium.close();
    }
  });
});
