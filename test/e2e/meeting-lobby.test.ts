import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';

describe('meeting lobby and removal in Chromium', () => {
  let podium: TestPodium;
  let browser: Browser;
  let moderator: Page;
  let guest: Page;
  let meeting: { id: string; link: string; moderatorLink: string };

  /** Opens a link and joins; guests type the access code, the moderator link needs none. */
  async function openJoin(page: Page, link: string, name: string): Promise<void> {
    await page.goto(`${podium.baseUrl}${link}`);
    await page.getByTestId('join-name').fill(name);
    if (!link.includes('moderator=')) await page.getByTestId('join-code').fill('buch42');
    await page.getByTestId('join-submit').click();
  }

  beforeAll(async () => {
    podium = await startTestPodium();
    meeting = (await podium.api('POST', '/api/meetings', { name: 'Sprechstunde E-Ausleihe', lobby: true, accessCode: 'buch42' })).body;
    browser = await launchChromium();
    moderator = await (await browser.newContext()).newPage();
    guest = await (await browser.newContext()).newPage();
    // The moderator link joins without the access code.
    await openJoin(moderator, meeting.moderatorLink, 'Beratung');
    await moderator.getByTestId('meeting-grid').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('a guest waits in the lobby until the moderator admits them', async () => {
    await openJoin(guest, meeting.link, 'Leser');
    await guest.getByTestId('meeting-lobby').waitFor({ timeout: 15_000 });
    expect(await guest.getByTestId('meeting-grid').count()).toBe(0);
    expect(podium.podium.meetings.sessionOf(meeting.id)?.participantCount).toBe(1);

    const waiting = moderator.getByTestId('lobby-guest').filter({ hasText: 'Leser' });

    await waiting.waitFor({ timeout: 15_000 });
    await waiting.getByTestId('lobby-admit').click();
    await guest.getByTestId('meeting-grid').waitFor({ timeout: 30_000 });
    expect(podium.podium.meetings.sessionOf(meeting.id)?.participantCount).toBe(2);
  });

  it('a removed guest cannot come back while the meeting is locked', async () => {
    const entry = moderator.getByTestId('participant').filter({ hasText: 'Leser' });

    // Remove needs a second tap to confirm.
    await entry.getByTestId('participant-remove').click();
    await entry.getByTestId('participant-remove').click();
    await guest.locator('[data-testid="meeting-over"][data-reason="removed"]').waitFor({ timeout: 15_000 });
    await moderator.getByTestId('meeting-lock').click();
    await moderator.getByTestId('meeting-locked').waitFor({ timeout: 10_000 });

    // The same tab again: its participant key was removed, and the page shows the removal.
    await openJoin(guest, meeting.link, 'Leser');
    await guest.locator('[data-testid="meeting-over"][data-reason="removed"]').waitFor({ timeout: 15_000 });
    expect(await guest.getByTestId('meeting-grid').count()).toBe(0);

    // A fresh browser profile (a new key) meets the lock.
    const fresh = await (await browser.newContext()).newPage();

    await openJoin(fresh, meeting.link, 'Leser');
    await expect.poll(() => fresh.getByTestId('join-problem').textContent(), { timeout: 15_000 }).toContain('gesperrt');
    expect(podium.podium.meetings.sessionOf(meeting.id)?.participantCount).toBe(1);
  });
});
