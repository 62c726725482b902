import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { focusedElement, tabTo, type FocusInfo } from '../helpers/keyboard.js';
import { publishColor, type RoomSource } from '../helpers/room-sources.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';

/** Checks that the element reached by keyboard shows the focus indicator. */
function expectVisibleFocus(focused: FocusInfo): void {
  expect(focused.focusVisible, `${focused.testId} matches :focus-visible`).toBe(true);
  expect(focused.indicator, `${focused.testId} has an outline or box-shadow`).not.toBe('');
}

const testId = (id: string) => `[data-testid="${id}"]`;

describe('keyboard-only operation', () => {
  let podium: TestPodium;
  let browser: Browser;
  let consolePage: Page;
  let listener: Page;
  let slides: RoomSource | undefined;

  beforeAll(async () => {
    podium = await startTestPodium();

    // An event with an access code, so that the listener joins by typing it.
    const created = await podium.api('POST', '/api/events', { title: 'Lesung', startsAt: '2027-03-01T18:00:00Z', accessCode: 'lesung-42' });

    await podium.api('POST', `/api/events/${created.body.id}/select`);
    browser = await launchChromium();
    consolePage = await openConsole(browser, podium.baseUrl);
  });

  afterAll(async () => {
    await slides?.stop();
    await browser?.close();
    await podium?.close();
  });

  it('console starts the event with Enter', async () => {
    const button = await tabTo(consolePage, testId('start-stop'));

    expectVisibleFocus(button);
    await consolePage.keyboard.press('Enter');
    await podium.waitForState('live');
    await consolePage.getByTestId('event-state').filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });
  });

  it('console switches the program layout with Space', async () => {
    slides = await publishColor(podium.podium.controller.room!, 'lectern-screen', { color: 'red', width: 1280, height: 720, fps: 10 });

    const slidesButton = '[data-testid="program-layout"][data-layout="slides"]:not([disabled])';

    await consolePage.locator(slidesButton).waitFor({ timeout: 15_000 });

    const focused = await tabTo(consolePage, slidesButton);

    expectVisibleFocus(focused);
    await consolePage.keyboard.press('Space');
    await consolePage.locator(`${slidesButton}[aria-pressed="true"]`).waitFor({ timeout: 10_000 });

    expect((await podium.state()).program?.layout).toBe('slides');
  });

  it('listener joins with the access code', async () => {
    listener = await browser.newPage();
    await listener.goto(`${podium.baseUrl}/watch`);
    await listener.getByTestId('access-code-input').waitFor({ timeout: 10_000 });
    expectVisibleFocus(await tabTo(listener, testId('access-code-input')));
    await listener.keyboard.type('lesung-42');
    await listener.keyboard.press('Enter');
    await listener.getByTestId('playback-mode').and(listener.locator('[data-mode="webrtc"]')).waitFor({ timeout: 30_000 });
  });

  it('listener turns on captions', async () => {

    const toggle = await tabTo(listener, testId('captions-toggle'));

    expectVisibleFocus(toggle);
    await listener.keyboard.press('Enter');

    expect(await listener.getByTestId('captions-toggle').getAttribute('aria-pressed')).toBe('true');
  });

  it('listener asks a question', async () => {
    expectVisibleFocus(await tabTo(listener, testId('question-name')));
    await listener.keyboard.type('Clara');
    expectVisibleFocus(await tabTo(listener, testId('question-text')));
    await listener.keyboard.type('Gibt es die Folien zum Nachlesen?');
    expectVisibleFocus(await tabTo(listener, testId('question-submit')));
    await listener.keyboard.press('Enter');
    await listener.getByTestId('question-status').filter({ hasText: 'angekommen' }).waitFor({ timeout: 10_000 });
    await consolePage.getByText('Gibt es die Folien zum Nachlesen?').first().waitFor({ timeout: 10_000 });
  });

  it('console announces the question without moving focus', async () => {
    const before = await focusedElement(consolePage);
    const question = consolePage.getByTestId('question-list').getByText('Gibt es die Folien zum Nachlesen?');

    await question.waitFor({ timeout: 10_000 });

    expect(await question.evaluate((element) => element.closest('[aria-live]')?.getAttribute('aria-live'))).toBe('polite');
    expect(await focusedElement(consolePage)).toEqual(before);
  });

  it('listener raises a hand', async () => {
    // The hand button sits before the question form, so Shift+Tab reaches it.
    const hand = await tabTo(listener, testId('hand'), { backwards: true });

    expectVisibleFocus(hand);
    await listener.keyboard.press('Space');
    await listener.locator('[data-testid="hand"][aria-pressed="true"]').waitFor({ timeout: 10_000 });
    await consolePage.getByTestId('raised-hand').filter({ hasText: 'Clara' }).waitFor({ timeout: 10_000 });
  });

  it('stage invitation closes with Escape', async () => {
    const { body } = await podium.api('GET', '/api/hands');

    await podium.api('POST', '/api/stage/invite', { peerId: body.hands[0].peerId });
    await listener.getByTestId('stage-invitation').waitFor({ timeout: 10_000 });
    expect((await focusedElement(listener))?.testId).toBe('stage-accept');
    await listener.keyboard.press('Escape');
    await listener.getByTestId('stage-invitation').waitFor({ state: 'detached', timeout: 10_000 });
    await consolePage.locator('[data-testid="floor-state"][data-state="empty"]').waitFor({ timeout: 10_000 });
    // Focus goes back to the hand button, where it was when the invitation opened.
    expect((await focusedElement(listener))?.testId).toBe('hand');
  });

  it('console stops the event with two presses of Enter', async () => {

    const button = await tabTo(consolePage, testId('start-stop'));

    expectVisibleFocus(button);
    await consolePage.keyboard.press('Enter');
    await consolePage.locator('[data-testid="start-stop"].confirm').waitFor();
    await consolePage.keyboard.press('Enter');
    await podium.waitForState('ended');
  });
});
