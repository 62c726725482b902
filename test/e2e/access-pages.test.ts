import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';

describe('login and access code pages in Chromium', () => {
  let podium: TestPodium;
  let browser: Browser;

  beforeAll(async () => {
    podium = await startTestPodium();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('login page signs staff in over HTTPS', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();

    await page.goto(`${podium.podium.httpsUrl}/console`);
    await page.waitForURL(/\/login\?next=%2Fconsole$/);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await page.locator('podium-notifier').filter({ hasText: 'Passwort' }).waitFor();
    await page.getByTestId('login-password').fill(podium.staffPassword);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/console$/);
    await page.getByTestId('event-state').waitFor();

    expect(new URL(page.url()).pathname).toBe('/console');
    await context.close();
  });

  it('watch page asks for the access code, then plays', async () => {
    const created = await podium.api('POST', '/api/events', {
      title: 'Vorstandssitzung',
      startsAt: '2027-05-01T18:00:00Z',
      accessCode: 'vorstand-42',
    });

    await podium.api('POST', `/api/events/${created.body.id}/start`);
    await podium.waitForState('live');

    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(`${podium.baseUrl}/watch`);
    await page.getByTestId('access-code-input').fill('vorstand-42');
    await page.getByTestId('access-code-submit').click();
    await page.waitForFunction(
      () => (document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video')?.currentTime ?? 0) > 0.5,
      null,
      { timeout: 30_000 },
    );

    expect(await page.getByTestId('playback-mode').getAttribute('data-mode')).toBe('webrtc');
    await context.close();
  });
});
