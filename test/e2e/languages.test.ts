import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privacyNotice } from '../../appliance/http/privacy-page.js';
import { de } from '../../web-ui/i18n/de.js';
import { en } from '../../web-ui/i18n/en.js';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { distinctivePieces, leftovers, pageText } from '../helpers/page-text.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';

type Language = 'de' | 'en';

const LANGUAGES: Language[] = ['de', 'en'];
/** For each page language, the catalogue pieces of the other language that must not show. */
const FOREIGN = { de: distinctivePieces(en, de), en: distinctivePieces(de, en) };

/** Signs of the other language that catalogue texts never contain: letters only German has, common English words. */
const FOREIGN_WORDS: Record<Language, RegExp> = {
  de: /\b(the|and|please|with|your|not)\b/gi,
  en: /\S*[äöüÄÖÜß]\S*/g,
};

/** The browser locale of each language's pages. */
const LOCALES: Record<Language, string> = { de: 'de-AT', en: 'en-US' };

/** Texts that staff typed, such as event titles and descriptions, which stay in the language they were written in. */
const userTexts: string[] = [];

/** Checks the html lang attribute and that no text of the other language is on the page. */
async function expectOnly(page: Page, language: Language, extra: Map<string, string> = new Map()): Promise<void> {
  let text = await pageText(page);

  for (const userText of userTexts) text = text.split(userText).join(' ');

  expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
  expect(leftovers(text, new Map([...FOREIGN[language], ...extra])), `${page.url()} in ${language}`).toEqual([]);
  // Hard-coded text outside the catalogues: German letters on an English page, English words on a German one.
  expect(text.match(FOREIGN_WORDS[language]) ?? [], `${page.url()} in ${language}`).toEqual([]);
}

describe('German and English pages', () => {
  let podium: TestPodium;
  let browser: Browser;
  let eventId: string;
  const consoles = {} as Record<Language, Page>;
  const listeners = {} as Record<Language, Page>;

  /**
   * Opens a page in a new browser context (so that a staff or invite
   * session of one page does not change another) with a chosen language.
   */
  async function newPage(language: Language): Promise<Page> {
    // The browser's locale within each language differs from the fallback (de-DE, en-GB) on purpose.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: LOCALES[language] });

    // The language switch stores the choice here, and every page of the context opens in it.
    await context.addInitScript((chosen) => localStorage.setItem('podium.language', chosen), language);

    return context.newPage();
  }

  /** Opens an invite of a role in a new page, following the join link. */
  async function openInvite(language: Language, role: string, label: string, next = ''): Promise<Page> {
    const invite = await podium.api('POST', `/api/events/${eventId}/invites`, { role, label });
    const page = await newPage(language);

    await page.goto(`${podium.baseUrl}/join${new URL(invite.body.url).search}${next}`);

    return page;
  }

  beforeAll(async () => {
    podium = await startTestPodium();
    browser = await launchChromium();
    // The first console shows the generated staff password once; later ones go straight to the console.
    await (await openConsole(browser, podium.baseUrl)).close();

    const events = (await podium.api('GET', '/api/events')).body.events as { title: string; description: string }[];

    userTexts.push(...events.flatMap((event) => [event.title, event.description]).filter(Boolean));
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('language switch sets lang and text', async () => {
    const page = await browser.newPage();

    await page.goto(`${podium.baseUrl}/login`);
    await page.getByTestId('login-password').waitFor();
    await expectOnly(page, 'de');
    expect(await pageText(page)).toContain(de['login.heading']);
    await page.locator('podium-language-switch select').selectOption('en');
    await expectOnly(page, 'en');
    expect(await pageText(page)).toContain(en['login.heading']);
    await page.reload();
    await page.getByTestId('login-password').waitFor();
    await expectOnly(page, 'en');
    await page.close();
  });

  it('login page with an error', async () => {
    for (const language of LANGUAGES) {
      const page = await newPage(language);

      await page.goto(`${podium.baseUrl}/login?next=%2Fconsole`);
      await page.getByTestId('login-password').fill('not the password');
      await page.getByTestId('login-submit').click();
      await page.locator('podium-notifier [role="alert"] span').waitFor();
      await expectOnly(page, language);
      await page.close();
    }
  });

  it('privacy notice', async () => {
    const notices = { de: privacyNotice(podium.config, 'de'), en: privacyNotice(podium.config, 'en') };

    for (const language of LANGUAGES) {
      const own = new Set(notices[language].sections.flat());
      const other = notices[language === 'de' ? 'en' : 'de'].sections.flat().filter((text) => !own.has(text));
      const pieces = new Map(other.map((text) => [text, 'privacy notice']));
      const page = await browser.newPage();

      await page.goto(`${podium.baseUrl}/datenschutz${language === 'en' ? '?lang=en' : ''}`);
      await expectOnly(page, language, pieces);
      await page.close();
    }
  });

  it('console and watch page before the start', async () => {
    for (const language of LANGUAGES) {
      consoles[language] = await newPage(language);
      await consoles[language].goto(`${podium.baseUrl}/console`);
      await consoles[language].getByTestId('event-state').waitFor();
      await consoles[language].getByTestId('open-setup').click();
      await consoles[language].getByTestId('setup-status').waitFor({ state: 'attached' });
      await expectOnly(consoles[language], language);
      await consoles[language].getByTestId('open-setup').click();

      const watch = await newPage(language);

      await watch.goto(`${podium.baseUrl}/watch`);
      await watch.getByTestId('notice').waitFor({ timeout: 10_000 });
      await expectOnly(watch, language);
      await watch.close();
    }
  });

  it('watch page access code and lobby', async () => {
    const created = await podium.api('POST', '/api/events', {
      title: 'Lesung mit Warteraum',
      startsAt: '2027-01-15T12:00:00Z',
      accessCode: 'lesung-42',
      lobby: true,
    });

    eventId = created.body.id;
    userTexts.push('Lesung mit Warteraum');
    await podium.api('POST', `/api/events/${eventId}/start`);
    await podium.waitForState('live');
    for (const language of LANGUAGES) {
      const listener = await newPage(language);

      listeners[language] = listener;
      await listener.goto(`${podium.baseUrl}/watch`);
      await listener.getByTestId('access-code-input').fill('falsch');
      await listener.getByTestId('access-code-submit').click();
      await listener.locator('podium-access-code-form [role="alert"]').filter({ hasText: /\w/ }).waitFor();
      await expectOnly(listener, language);
      await listener.getByTestId('access-code-input').fill('lesung-42');
      await listener.getByTestId('access-code-submit').click();
      await listener.getByTestId('notice').filter({ hasText: language === 'de' ? 'Warteraum' : 'lobby' }).waitFor({ timeout: 20_000 });
      await expectOnly(listener, language);
    }
  });

  it('console and watch page live', async () => {
    for (const language of LANGUAGES) {
      const listener = listeners[language];

      await consoles[language].getByTestId('lobby-guest').first().waitFor({ timeout: 10_000 });
      await expectOnly(consoles[language], language);
      // The event list dates the event in the reader's locale: Austrian German names January "Jänner".
      expect(await pageText(consoles[language])).toContain(language === 'de' ? '15. Jänner 2027' : 'January 15, 2027');
      await consoles[language].getByTestId('lobby-admit').first().click();
      await listener.getByTestId('playback-mode').and(listener.locator('[data-mode="webrtc"]')).waitFor({ timeout: 30_000 });
      await listener.getByTestId('captions-toggle').click();
      await listener.getByTestId('question-name').fill(`Clara ${language}`);
      await listener.getByTestId('question-text').fill('Wie lange dauert die Lesung?');
      await listener.getByTestId('question-submit').click();
      await listener.getByTestId('question-status').filter({ hasText: /\w/ }).waitFor();
      await listener.getByTestId('hand').click();
      await listener.locator('[data-testid="hand"][aria-pressed="true"]').waitFor();
      await expectOnly(listener, language);
    }
  });

  it('stage invitation and the console with hands', async () => {
    for (const language of LANGUAGES) {
      const listener = listeners[language];

      await consoles[language].getByTestId('raised-hand').filter({ hasText: `Clara ${language}` }).getByTestId('hand-invite').click();
      await listener.getByTestId('stage-invitation').waitFor({ timeout: 10_000 });
      await expectOnly(listener, language);
      await listener.getByTestId('stage-decline').click();
      await consoles[language].getByTestId('invite-label').fill('Frau Beispiel');
      await consoles[language].getByTestId('invite-create').click();
      await consoles[language].getByTestId('invite-url').waitFor();
      await expectOnly(consoles[language], language);
    }
  });

  it('venue screen and the invitees\' pages', async () => {
    for (const language of LANGUAGES) {
      const venue = await newPage(language);

      await venue.goto(`${podium.baseUrl}/stage`);
      await venue.getByTestId('venue-picture').waitFor();
      await expectOnly(venue, language);

      const lectern = await openInvite(language, 'speaker', 'Frau Vortrag', '&next=present');

      await lectern.getByTestId('talk-timer').waitFor({ timeout: 15_000 });
      await expectOnly(lectern, language);

      const speaker = await openInvite(language, 'speaker', 'Herr Fern');

      await speaker.getByTestId('speaker-state').waitFor({ timeout: 15_000 });
      await expectOnly(speaker, language);

      const captioner = await openInvite(language, 'captioner', 'Schriftdolmetscherin');

      await captioner.getByTestId('caption-input').waitFor({ timeout: 15_000 });
      await expectOnly(captioner, language);
      const interpreter = await openInvite(language, 'interpreter', 'DGS');

      await interpreter.getByTestId('interpreter-camera').waitFor({ timeout: 15_000 });
      await expectOnly(interpreter, language);
      for (const page of [venue, lectern, speaker, captioner, interpreter]) await page.close();
    }
  });
});
