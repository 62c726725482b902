import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

const QUESTION = 'Wie lange dauert die Lesung?';

describe('questions, votes and hands in Chromium', () => {
  let podium: TestPodium;
  let browser: Browser;
  let consolePage: Page;
  let asker: Page;
  let voter: Page;
  /** The lectern laptop, opened with a speaker invite. */
  let lectern: Page;

  beforeAll(async () => {
    podium = await startTestPodium();
    await podium.goLive();
    browser = await launchChromium();
    consolePage = await openConsole(browser, podium.baseUrl);
    asker = await browser.newPage();
    voter = await browser.newPage();
    await asker.goto(`${podium.baseUrl}/watch`);
    await voter.goto(`${podium.baseUrl}/watch`);

    const eventId = (await podium.state()).event!.id;
    const invite = await podium.api('POST', `/api/events/${eventId}/invites`, { role: 'speaker', label: 'Pult' });

    lectern = await browser.newPage();
    await lectern.goto(`${podium.baseUrl}/join${new URL(invite.body.url).search}&next=present`);
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('console sees the question a listener asks', async () => {
    await asker.getByTestId('question-name').fill('Anna');
    await asker.getByTestId('question-text').fill(QUESTION);
    await asker.getByTestId('question-submit').click();
    await asker.getByTestId('question-status').filter({ hasText: 'angekommen' }).waitFor({ timeout: 10_000 });

    const entry = consolePage.getByTestId('question').filter({ hasText: QUESTION });

    await entry.waitFor({ timeout: 10_000 });
    expect(await entry.locator('.author').textContent()).toBe('Anna');
    expect(await entry.getByTestId('question-state').textContent()).toBe('wartet');
  });

  it('asker sees their own question without a vote button', async () => {
    const own = asker.getByTestId('audience-question').filter({ hasText: QUESTION });

    await own.waitFor({ timeout: 10_000 });
    expect(await own.textContent()).toContain('Ihre Frage');
    expect(await own.getByTestId('audience-question-vote').count()).toBe(0);
  });

  it('another listener upvotes it once', async () => {
    const seen = voter.getByTestId('audience-question').filter({ hasText: QUESTION });

    await seen.getByTestId('audience-question-vote').click();
    await seen.getByTestId('audience-question-votes').filter({ hasText: 'Stimmen: 1' }).waitFor({ timeout: 10_000 });
    await consolePage
      .getByTestId('question')
      .filter({ hasText: QUESTION })
      .getByTestId('question-votes')
      .filter({ hasText: 'Stimmen: 1' })
      .waitFor({ timeout: 10_000 });

    expect(await seen.getByTestId('audience-question-vote').isDisabled()).toBe(true);
    expect(await seen.getByTestId('audience-question-vote').getAttribute('aria-pressed')).toBe('true');
  });

  it('staff mark it answered and the asker sees that', async () => {
    const entry = consolePage.getByTestId('question').filter({ hasText: QUESTION });

    await entry.getByTestId('question-answered').click();
    await entry.getByTestId('question-state').filter({ hasText: 'beantwortet' }).waitFor({ timeout: 10_000 });

    const own = asker.getByTestId('audience-question').filter({ hasText: QUESTION });

    await own.getByTestId('audience-question-state').filter({ hasText: 'beantwortet' }).waitFor({ timeout: 10_000 });
    expect(await own.getAttribute('data-state')).toBe('answered');
  });

  it('staff put it on the venue screen', async () => {
    const entry = consolePage.getByTestId('question').filter({ hasText: QUESTION });

    await entry.getByTestId('question-stage').click();
    await entry.getByTestId('question-stage').and(consolePage.locator('[aria-pressed="true"]')).waitFor({ timeout: 10_000 });

    const stage = await waitFor('the venue screen question in the snapshot', async () => (await podium.state()).stageQuestion ?? undefined);

    expect(stage.text).toBe(QUESTION);
    expect(stage.author).toBe('Anna');
    await lectern.getByTestId('lectern-question').filter({ hasText: QUESTION }).waitFor({ timeout: 10_000 });
    expect(await lectern.getByTestId('lectern-question').textContent()).toContain('Anna');
  });

  it('console sorts the queue by votes', async () => {
    await voter.getByTestId('question-text').fill('Gibt es Getränke?');
    await voter.getByTestId('question-submit').click();
    await consolePage.getByTestId('question').filter({ hasText: 'Getränke' }).waitFor({ timeout: 10_000 });
    await asker.getByTestId('audience-question').filter({ hasText: 'Getränke' }).getByTestId('audience-question-vote').click();
    await consolePage
      .getByTestId('question')
      .filter({ hasText: 'Getränke' })
      .getByTestId('question-votes')
      .filter({ hasText: 'Stimmen: 1' })
      .waitFor({ timeout: 10_000 });

    // The answered question has a vote too, but open questions come first.
    expect(await consolePage.getByTestId('question').first().textContent()).toContain('Getränke');
  });

  it('a raised hand reaches the console, which lowers it', async () => {
    await voter.getByTestId('hand').click();
    await voter.getByTestId('hand-status').filter({ hasText: 'gehoben' }).waitFor({ timeout: 10_000 });

    const hand = consolePage.getByTestId('raised-hand');

    await hand.waitFor({ timeout: 10_000 });
    expect(await hand.count()).toBe(1);
    await hand.getByTestId('hand-lower').click();
    await voter.getByTestId('hand').filter({ hasText: 'Hand heben' }).waitFor({ timeout: 10_000 });

    expect(await voter.getByTestId('hand').getAttribute('aria-pressed')).toBe('false');
    await waitFor('the hand gone from the console', async () => (await hand.count()) === 0);
  });

  it('staff hide a question from other listeners', async () => {
    await consolePage.getByTestId('question').filter({ hasText: 'Getränke' }).getByTestId('question-hide').click();
    await waitFor('the hidden question gone from the asker', async () =>
      (await asker.getByTestId('audience-question').filter({ hasText: 'Getränke' }).count()) === 0,
    );

    const own = voter.getByTestId('audience-question').filter({ hasText: 'Getränke' });

    await own.getByTestId('audience-question-state').filter({ hasText: 'ausgeblendet' }).waitFor({ timeout: 10_000 });
    expect(await own.getAttribute('data-state')).toBe('hidden');
  });

  it('audience panel switches to English', async () => {
    await voter.locator('podium-language-switch select').selectOption('en');

    expect(await voter.getByTestId('hand').textContent()).toContain('Raise hand');
    expect(await voter.getByTestId('audience-question').first().textContent()).toContain('Votes:');
  });
});
