import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingInfo } from '../../appliance/meetings/meeting-protocol.js';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

describe('meetings panel on the console', () => {
  let podium: TestPodium;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    podium = await startTestPodium();
    browser = await launchChromium();
    page = await openConsole(browser, podium.baseUrl);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: podium.baseUrl });
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  async function listed(): Promise<MeetingInfo[]> {
    return (await podium.api('GET', '/api/meetings')).body as MeetingInfo[];
  }

  it('creates a meeting', async () => {
    await page.getByTestId('new-meeting-name').fill('Lesekreis');
    await page.getByTestId('new-meeting-code').fill('4711');
    await page.getByTestId('new-meeting-lobby').check();
    await page.getByTestId('new-meeting-expiry').fill('2027-03-01T18:00');
    await page.getByTestId('new-meeting-create').click();
    await page.getByTestId('meeting').filter({ hasText: 'Lesekreis' }).waitFor();

    const [meeting] = await listed();
    const details = await page.getByTestId('meeting-details').textContent();

    expect(meeting).toMatchObject({ name: 'Lesekreis', accessCode: '4711', lobby: true, state: 'open' });
    expect(new Date(meeting!.expiresAt!).getTime()).toBe(new Date('2027-03-01T18:00').getTime());
    expect(details).toContain('offen');
    expect(details).toContain('0 Teilnehmende');
    expect(details).toContain('mit Warteraum');
    expect(details).toContain('Code 4711');
    expect(await page.getByTestId('new-meeting-name').inputValue()).toBe('');
  });

  it('copies both links', async () => {
    const [meeting] = await listed();

    await page.getByTestId('meeting-copy-link').click();
    await page.getByTestId('meetings-status').filter({ hasText: 'Link kopiert' }).waitFor();

    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${podium.baseUrl}${meeting!.link}`);

    await page.getByTestId('meeting-copy-moderator-link').click();
    await waitFor('the moderator link in the clipboard', async () =>
      (await page.evaluate(() => navigator.clipboard.readText())).includes('moderator='),
    );

    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${podium.baseUrl}${meeting!.moderatorLink}`);
  });

  it('records and streams a meeting with people in it', async () => {
    const [meeting] = await listed();
    const chair = await browser.newPage();

    await chair.goto(`${podium.baseUrl}${meeting!.moderatorLink}`);
    await chair.getByTestId('join-name').fill('Vorsitz');
    await chair.getByTestId('join-submit').click();
    await chair.getByTestId('meeting-grid').waitFor({ timeout: 30_000 });

    // The panel offers both outputs once its next refresh counts the participant.
    await page.getByTestId('meeting-record').click({ timeout: 15_000 });
    await chair.locator('[data-testid="meeting-tally"][data-recording="true"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('meeting-stream').click();
    await chair.locator('[data-testid="meeting-tally"][data-streaming="true"]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('meeting-record').getAttribute('aria-pressed')).toBe('true');
    expect((await listed())[0]).toMatchObject({ recording: true, streaming: true });

    await page.getByTestId('meeting-record').click();
    await page.getByTestId('meeting-stream').click();
    await chair.getByTestId('meeting-tally').waitFor({ state: 'detached', timeout: 15_000 });
    expect((await listed())[0]).toMatchObject({ recording: false, streaming: false });
    await chair.close();
  });

  it('ends and deletes a meeting', async () => {
    await page.getByTestId('meeting-end').click();
    await page.getByTestId('meeting-details').filter({ hasText: 'beendet' }).waitFor();

    expect((await listed())[0]?.state).toBe('ended');
    expect(await page.getByTestId('meeting-end').count()).toBe(0);

    await page.getByTestId('meeting-delete').click();
    await page.getByTestId('meeting-delete').filter({ hasText: 'Wirklich' }).waitFor();

    expect(await listed()).toHaveLength(1);

    await page.getByTestId('meeting-delete').click();
    await page.getByTestId('meeting').waitFor({ state: 'detached' });

    expect(await listed()).toEqual([]);
  });
});
