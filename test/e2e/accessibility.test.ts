import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, formatViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';

/** Fails with axe's own description of every WCAG A or AA violation on the page. */
async function expectNoViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page);

  expect(violations, formatViolations(violations)).toEqual([]);
}

/**
 * Measures the shown controls of a page through shadow roots, and lists those
 * smaller than 44 × 44 CSS pixels (a checkbox counts with its label).
 */
function measureTargets(page: Page): Promise<{ measured: number; small: string[] }> {
  return page.evaluate(() => {
    const small: string[] = [];
    let measured = 0;
    const visit = (root: Document | ShadowRoot): void => {
      for (const element of root.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, summary')) {
        const box = element.matches('input[type="checkbox"], input[type="radio"]') ? (element.closest('label') ?? element) : element;
        const rect = box.getBoundingClientRect();
        const name = element.getAttribute('data-testid') ?? `${element.tagName.toLowerCase()} "${element.textContent?.trim().slice(0, 30)}"`;

        if (rect.width === 0 && rect.height === 0) continue;
        measured++;
        if (rect.width < 44 || rect.height < 44) small.push(`${name}: ${Math.round(rect.width)}×${Math.round(rect.height)}`);
      }
      for (const host of root.querySelectorAll('*')) if (host.shadowRoot) visit(host.shadowRoot);
    };

    visit(document);

    return { measured, small };
  });
}

/**
 * Returns how far a page scrolls sideways at 200 % zoom of a 1280 × 800
 * window (640 × 400 CSS pixels), in CSS pixels, or 0 when it reflows.
 */
async function sidewaysScroll(page: Page): Promise<number> {
  const size = page.viewportSize();

  await page.setViewportSize({ width: 640, height: 400 });

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  if (size) await page.setViewportSize(size);

  return Math.max(0, overflow);
}

describe('WCAG 2.2 AA on every page', () => {
  let podium: TestPodium;
  let browser: Browser;
  let consolePage: Page;
  let listener: Page;
  let eventId: string;

  /** Opens an invite of a role for the event, following the join link. */
  async function openInvite(role: string, label: string, next = ''): Promise<Page> {
    const invite = await podium.api('POST', `/api/events/${eventId}/invites`, { role, label });
    const page = await browser.newPage();

    await page.goto(`${podium.baseUrl}/join${new URL(invite.body.url).search}${next}`);

    return page;
  }

  beforeAll(async () => {
    podium = await startTestPodium();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('login page', async () => {
    const page = await browser.newPage();

    await page.goto(`${podium.baseUrl}/login?next=%2Fconsole`);
    await page.getByTestId('login-password').waitFor();
    await expectNoViolations(page);
    expect(await sidewaysScroll(page)).toBe(0);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await page.locator('podium-notifier').filter({ hasText: 'Passwort' }).waitFor();
    await expectNoViolations(page);
  });

  it('English pages', async () => {
    for (const path of ['/login', '/watch']) {
      const page = await browser.newPage();

      await page.goto(`${podium.baseUrl}${path}?lang=en`);
      await page.locator('podium-language-switch').waitFor();
      await expectNoViolations(page);
      await page.close();
    }
  });

  it('privacy notice in both languages', async () => {
    const page = await browser.newPage();

    await page.goto(`${podium.baseUrl}/datenschutz`);
    await expectNoViolations(page);
    await page.goto(`${podium.baseUrl}/datenschutz?lang=en`);
    await expectNoViolations(page);
  });

  it('console with the first-password dialog', async () => {
    consolePage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await consolePage.goto(`${podium.baseUrl}/console`);
    await consolePage.getByTestId('initial-password-dismiss').waitFor();
    await expectNoViolations(consolePage);
    await consolePage.getByTestId('initial-password-dismiss').click();
    await expectNoViolations(consolePage);
  });

  it('watch page before the start', async () => {
    const page = await browser.newPage();

    await page.goto(`${podium.baseUrl}/watch`);
    await page.getByTestId('notice').waitFor({ timeout: 10_000 });
    await expectNoViolations(page);
    expect(await page.getByTestId('notice-announcement').getAttribute('role')).toBe('status');
    expect(await page.getByTestId('notice-announcement').textContent()).toBe(await page.getByTestId('notice').textContent());
    await page.close();
  });

  it('watch page asks for the access code', async () => {
    const created = await podium.api('POST', '/api/events', {
      title: 'Lesung mit Warteraum',
      startsAt: '2027-03-01T18:00:00Z',
      accessCode: 'lesung-42',
      lobby: true,
    });

    eventId = created.body.id;
    await podium.api('POST', `/api/events/${eventId}/start`);
    await podium.waitForState('live');
    listener = await browser.newPage();
    await listener.goto(`${podium.baseUrl}/watch`);
    await listener.getByTestId('access-code-input').waitFor({ timeout: 10_000 });
    await expectNoViolations(listener);
  });

  it('watch page waits in the lobby', async () => {
    await listener.getByTestId('access-code-input').fill('lesung-42');
    await listener.getByTestId('access-code-submit').click();
    await listener.getByTestId('notice').filter({ hasText: 'Warteraum' }).waitFor({ timeout: 20_000 });
    await expectNoViolations(listener);
  });

  it('console with a lobby guest', async () => {
    await consolePage.getByTestId('lobby-guest').waitFor({ timeout: 10_000 });
    await expectNoViolations(consolePage);
  });

  it('watch page plays live with captions on', async () => {
    await consolePage.getByTestId('lobby-admit').click();
    await listener.getByTestId('playback-mode').and(listener.locator('[data-mode="webrtc"]')).waitFor({ timeout: 30_000 });
    await expectNoViolations(listener);
    // The region that announced the lobby stays, empty, for the next notice.
    expect((await listener.getByTestId('notice-announcement').textContent())?.trim()).toBe('');
    await listener.getByTestId('captions-toggle').click();
    await listener.locator('[data-testid="captions-toggle"][aria-pressed="true"]').waitFor();
    await expectNoViolations(listener);
  });

  it('nothing moves with reduced motion', async () => {
    await listener.emulateMedia({ reducedMotion: 'reduce' });

    expect(await listener.evaluate(() => document.getAnimations().length)).toBe(0);
  });

  it('watch page with a stage invitation and on stage', async () => {
    await listener.getByTestId('question-name').fill('Clara');
    await listener.getByTestId('question-text').fill('Wie lange dauert die Lesung?');
    await listener.getByTestId('question-submit').click();
    await listener.getByTestId('hand').click();
    await consolePage.getByTestId('raised-hand').filter({ hasText: 'Clara' }).getByTestId('hand-invite').click();
    await listener.getByTestId('stage-invitation').waitFor({ timeout: 10_000 });
    await expectNoViolations(listener);
    await listener.getByTestId('stage-accept').click();
    await listener.getByTestId('stage-guest').waitFor({ timeout: 15_000 });
    await expectNoViolations(listener);
  });

  it('console live with questions, guest and invites', async () => {
    await consolePage.getByTestId('floor-state').and(consolePage.locator('[data-state="on-stage"]')).waitFor({ timeout: 10_000 });
    await consolePage.getByTestId('invite-label').fill('Frau Beispiel');
    await consolePage.getByTestId('invite-create').click();
    await consolePage.getByTestId('invite-url').waitFor();
    await expectNoViolations(consolePage);
    const targets = await measureTargets(consolePage);

    expect(targets.measured).toBeGreaterThan(20);
    expect(targets.small).toEqual([]);
  });

  it('console device setup dialog', async () => {
    await consolePage.getByTestId('open-setup').click();
    await consolePage.getByTestId('setup-status').waitFor({ state: 'attached', timeout: 10_000 });
    await expectNoViolations(consolePage);
    expect(await sidewaysScroll(consolePage)).toBe(0);
    const targets = await measureTargets(consolePage);

    expect(targets.measured).toBeGreaterThan(20);
    expect(targets.small).toEqual([]);
    await consolePage.getByTestId('open-setup').click();
  });

  it('console and watch page reflow at 200 % zoom', async () => {
    expect(await sidewaysScroll(listener)).toBe(0);
    expect(await sidewaysScroll(consolePage)).toBe(0);
  });

  it('venue screen', async () => {
    const page = await browser.newPage();

    await page.goto(`${podium.baseUrl}/stage`);
    await page.getByTestId('venue-picture').waitFor();
    await expectNoViolations(page);
    expect(await sidewaysScroll(page)).toBe(0);
    await page.close();
  });

  it('lectern page from a speaker invite', async () => {
    const page = await openInvite('speaker', 'Frau Vortrag', '&next=present');

    await page.getByTestId('lectern-state').filter({ hasText: /live/i }).waitFor({ timeout: 15_000 });
    await expectNoViolations(page);
    expect(await sidewaysScroll(page)).toBe(0);
    await page.close();
  });

  it('remote speaker page', async () => {
    const page = await openInvite('speaker', 'Herr Fern');

    await page.getByTestId('speaker-state').waitFor({ timeout: 15_000 });
    await expectNoViolations(page);
    expect(await sidewaysScroll(page)).toBe(0);
    await page.close();
  });

  it('interpreter page and the watch page beside it', async () => {
    const page = await openInvite('interpreter', 'DGS');

    await page.getByTestId('interpreter-state').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('interpreter-camera').click();
    await page.getByTestId('interpreter-camera').and(page.locator('[aria-pressed="true"]')).waitFor({ timeout: 20_000 });
    await expectNoViolations(page);
    expect(await sidewaysScroll(page)).toBe(0);
    await listener.getByTestId('sign-language-side').check();
    await listener.getByTestId('interpreter-video').waitFor({ timeout: 20_000 });
    await expectNoViolations(listener);
    expect(await sidewaysScroll(listener)).toBe(0);
    await page.close();
  });

  it('captioner page', async () => {
    const page = await openInvite('captioner', 'Schriftdolmetscherin');

    await page.getByTestId('captioner-state').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('caption-input').fill('Guten Abend');
    await page.getByTestId('caption-input').press('Enter');
    await page.getByTestId('caption-sent').filter({ hasText: 'Guten Abend' }).waitFor();
    await expectNoViolations(page);
    expect(await sidewaysScroll(page)).toBe(0);
    await listener.getByTestId('caption-line').filter({ hasText: 'Guten Abend' }).waitFor({ timeout: 5000 });
    await expectNoViolations(listener);
    await page.close();
  });

  it('console in English with the setup open', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });

    await page.goto(`${podium.baseUrl}/console?lang=en`);
    await page.getByTestId('open-setup').click();
    await page.getByTestId('setup-status').waitFor({ state: 'attached', timeout: 10_000 });
    await expectNoViolations(page);
    await page.close();
  });
});
