import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicMeetingInfo } from '../../appliance/meetings/meeting-protocol.js';
import { de } from '../../web-ui/i18n/de.js';
import { en } from '../../web-ui/i18n/en.js';
import { axeViolations, formatViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/browser.js';
import { MockMeetingSignaling, mockParticipant, mockSnapshot } from '../helpers/mock-meeting-signaling.js';
import { distinctivePieces, leftovers, pageText } from '../helpers/page-text.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

const INFO: PublicMeetingInfo = { id: 'm1', name: 'Lesekreis', hasAccessCode: false, lobby: false, state: 'open', locked: false };

/**
 * The meeting page's screens against a scripted signaling socket in the
 * browser: Podium serves the page, and MockMeetingSignaling plays the
 * server's meetings without media. The exchange of media between real
 * participants is the subject of meeting-page.test.ts.
 */
describe('meeting page screens', () => {
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

  async function openMeeting(info: PublicMeetingInfo | undefined, query = '?id=m1'): Promise<{ page: Page; signaling: MockMeetingSignaling }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const signaling = new MockMeetingSignaling();

    await signaling.install(page, info);
    await page.goto(`${podium.baseUrl}/meet${query}`);

    return { page, signaling };
  }

  /** Fills the join screen with both devices off (the mock carries no media) and joins. */
  async function join(page: Page, name = 'Ada'): Promise<void> {
    await page.getByTestId('join-name').fill(name);
    await page.getByTestId('join-camera').click();
    await page.getByTestId('join-preview-off').waitFor();
    await page.getByTestId('join-microphone').click();
    await page.getByTestId('join-submit').click();
  }

  it('join screen shows the device check', async () => {
    const { page } = await openMeeting(INFO);

    await page.getByRole('heading', { name: 'Lesekreis' }).waitFor();
    await page.waitForFunction(() => {
      const join = document.querySelector('podium-meeting-page')?.shadowRoot?.querySelector('podium-meeting-join');
      const video = join?.shadowRoot?.querySelector('video');

      return video !== null && video !== undefined && video.videoWidth > 0;
    });

    const level = await waitFor('the microphone meter to move', async () => {
      const value = Number(await page.getByRole('meter').getAttribute('aria-valuenow'));

      return value > -60 ? value : undefined;
    });

    expect(level).toBeLessThanOrEqual(0);
    expect(await page.getByTestId('camera-choice').locator('option').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('microphone-choice').locator('option').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('join-code').count()).toBe(0);

    const violations = await axeViolations(page);

    expect(violations, formatViolations(violations)).toEqual([]);
    await page.close();
  });

  it('wrong access code keeps the join screen', async () => {
    const { page, signaling } = await openMeeting({ ...INFO, hasAccessCode: true });

    signaling.joinResult = { error: 'PODIUM_ERR_MEETING_ACCESS_CODE' };
    await page.getByTestId('join-code').fill('falsch');
    await join(page);
    await page.getByTestId('join-problem').filter({ hasText: 'Zugangscode' }).waitFor();

    expect(signaling.sent('join')[0]?.data).toMatchObject({ meetingId: 'm1', name: 'Ada', accessCode: 'falsch' });
    expect(signaling.sent('join')[0]?.data.participantKey).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(await page.getByTestId('join-submit').isEnabled()).toBe(true);
    await page.close();
  });

  it('unknown meeting shows the end screen', async () => {
    const { page } = await openMeeting(undefined);

    await page.getByTestId('meeting-over').waitFor();

    expect(await page.getByTestId('meeting-over').getAttribute('data-reason')).toBe('notFound');
    await page.close();
  });

  it('lobby waits until admitted', async () => {
    const { page, signaling } = await openMeeting({ ...INFO, lobby: true });

    signaling.joinResult = mockSnapshot({ self: { peerId: 'self', state: 'waiting', moderator: false }, participants: [] });
    await join(page);
    await page.getByTestId('meeting-lobby').filter({ hasText: 'Bitte warten' }).waitFor();
    signaling.notify({ type: 'meeting', data: mockSnapshot() });
    await page.getByTestId('meeting-tile').nth(1).waitFor();

    expect(await page.getByTestId('meeting-lobby').count()).toBe(0);
    await waitFor('both transports', () => signaling.sent('createTransport').length === 2);

    expect(signaling.sent('createTransport').map((request) => request.data.direction).sort()).toEqual(['recv', 'send']);
    await page.close();
  });

  it('denied guest sees the end screen', async () => {
    const { page, signaling } = await openMeeting({ ...INFO, lobby: true });

    signaling.joinResult = mockSnapshot({ self: { peerId: 'self', state: 'waiting', moderator: false }, participants: [] });
    await join(page);
    await page.getByTestId('meeting-lobby').waitFor();
    signaling.notify({ type: 'meeting', data: mockSnapshot({ self: { peerId: 'self', state: 'denied', moderator: false }, participants: [] }) });
    await page.getByTestId('meeting-over').waitFor();

    expect(await page.getByTestId('meeting-over').getAttribute('data-reason')).toBe('denied');
    await page.close();
  });

  it('meeting shows tiles, speaker and chat', async () => {
    const { page, signaling } = await openMeeting(INFO);

    signaling.joinResult = mockSnapshot();
    signaling.chatHistory = [{ id: 1, peerId: 'p2', name: 'Bruno', text: 'Guten Morgen', at: '2026-12-05T10:01:30Z' }];
    await join(page);
    await page.getByTestId('chat-message').filter({ hasText: 'Guten Morgen' }).waitFor();

    const tiles = page.getByTestId('meeting-tile');

    expect(await tiles.count()).toBe(2);
    expect(await tiles.nth(0).getAttribute('data-peer-id')).toBe('self');
    expect(await tiles.nth(1).getAttribute('data-source')).toBe('camera');

    signaling.notify({ type: 'activeSpeaker', data: { peerId: 'p2' } });
    await page.locator('[data-testid="meeting-tile"][data-peer-id="p2"][data-active="true"]').waitFor();

    await page.getByTestId('meeting-view').click();
    await page.locator('[data-view="speaker"]').waitFor();

    const large = page.locator('podium-meeting-tile[large]');

    expect(await large.getByTestId('meeting-tile').getAttribute('data-peer-id')).toBe('p2');

    await page.getByTestId('chat-input').fill('Hallo zusammen');
    await page.getByTestId('chat-send').click();
    await page.getByTestId('chat-message').filter({ hasText: 'Hallo zusammen' }).waitFor();

    expect(signaling.sent('chat')[0]?.data).toEqual({ text: 'Hallo zusammen' });
    expect(await page.getByTestId('chat-input').inputValue()).toBe('');

    signaling.notify({ type: 'meeting', data: mockSnapshot({ participants: [...mockSnapshot().participants, mockParticipant('p3', 'Cleo', 2)] }) });
    await page.getByTestId('meeting-announcement').filter({ hasText: 'Cleo ist beigetreten' }).waitFor();

    await page.getByTestId('meeting-hand').click();
    await waitFor('the setHand request', () => signaling.sent('setHand').length > 0);

    expect(signaling.sent('setHand')[0]?.data).toEqual({ raised: true });

    const violations = await axeViolations(page);

    expect(violations, formatViolations(violations)).toEqual([]);
    await page.close();
  });

  it('moderator admits and removes', async () => {
    const { page, signaling } = await openMeeting(INFO, '?id=m1&moderator=secret-key');

    signaling.joinResult = mockSnapshot({
      self: { peerId: 'self', state: 'joined', moderator: true },
      lobby: [{ peerId: 'g1', name: 'Gast', since: '2026-12-05T10:03:00Z' }],
    });
    await join(page);
    await page.getByTestId('lobby-admit').click();
    await waitFor('the admit request', () => signaling.sent('admit').length > 0);

    expect(signaling.sent('join')[0]?.data.moderatorKey).toBe('secret-key');
    expect(signaling.sent('admit')[0]?.data).toEqual({ peerId: 'g1' });

    const remove = page.locator('[data-testid="participant"][data-peer-id="p2"]').getByTestId('participant-remove');

    await remove.click();

    expect(signaling.sent('removeParticipant')).toHaveLength(0);
    await remove.click();
    await waitFor('the remove request', () => signaling.sent('removeParticipant').length > 0);

    expect(signaling.sent('removeParticipant')[0]?.data).toEqual({ peerId: 'p2' });

    const violations = await axeViolations(page);

    expect(violations, formatViolations(violations)).toEqual([]);
    await page.close();
  });

  it('recording shows a tally everywhere', async () => {
    const { page, signaling } = await openMeeting(INFO, '?id=m1&moderator=secret-key');

    signaling.joinResult = mockSnapshot({ self: { peerId: 'self', state: 'waiting', moderator: false }, participants: [], recording: true });
    await join(page);
    await page.getByTestId('meeting-lobby').waitFor();

    expect(await page.getByTestId('meeting-tally').textContent()).toContain('aufgezeichnet');

    signaling.notify({ type: 'meeting', data: mockSnapshot({ self: { peerId: 'self', state: 'joined', moderator: true }, streaming: true }) });
    await page.getByTestId('meeting-tally').filter({ hasText: 'live übertragen' }).waitFor();

    expect(await page.getByTestId('meeting-tally').getAttribute('data-recording')).toBe('false');

    await page.getByTestId('meeting-recording').click();
    await waitFor('the setRecording request', () => signaling.sent('setRecording').length > 0);

    expect(signaling.sent('setRecording')[0]?.data).toEqual({ on: true });
    signaling.notify({ type: 'meeting', data: mockSnapshot({ self: { peerId: 'self', state: 'joined', moderator: true } }) });
    await page.getByTestId('meeting-tally').waitFor({ state: 'detached' });
    await page.close();
  });

  it('removed participant sees the end screen', async () => {
    const { page, signaling } = await openMeeting(INFO);

    signaling.joinResult = mockSnapshot();
    await join(page);
    await page.getByTestId('meeting-tile').nth(1).waitFor();
    signaling.notify({ type: 'meeting', data: mockSnapshot({ self: { peerId: 'self', state: 'removed', moderator: false }, participants: [] }) });
    await page.getByTestId('meeting-over').waitFor();

    expect(await page.getByTestId('meeting-over').getAttribute('data-reason')).toBe('removed');
    expect(await page.getByTestId('meeting-over').textContent()).toContain('entfernt');
    await page.close();
  });

  it('English page has no German', async () => {
    const { page, signaling } = await openMeeting(INFO, '?id=m1&lang=en');
    const german = distinctivePieces(de, en);

    await page.getByTestId('join-submit').filter({ hasText: 'Join' }).waitFor();

    expect(leftovers(await pageText(page), german)).toEqual([]);
    expect((await pageText(page)).match(/\S*[äöüÄÖÜß]\S*/g) ?? []).toEqual([]);

    signaling.joinResult = mockSnapshot({ self: { peerId: 'self', state: 'joined', moderator: true } });
    signaling.chatHistory = [{ id: 1, peerId: 'p2', name: 'Bruno', text: 'Good morning', at: '2026-12-05T10:01:30Z' }];
    await join(page);
    await page.getByTestId('chat-message').waitFor();

    expect(leftovers(await pageText(page), german)).toEqual([]);
    expect((await pageText(page)).match(/\S*[äöüÄÖÜß]\S*/g) ?? []).toEqual([]);
    expect(await page.getByTestId('meeting-leave').textContent()).toContain('Leave');
    await page.close();
  });

  it('meeting reflows at 200 % zoom', async () => {
    const { page, signaling } = await openMeeting(INFO);
    const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

    // 640 × 400 CSS pixels: a 1280 × 800 window at 200 % zoom.
    await page.setViewportSize({ width: 640, height: 400 });
    await page.getByTestId('join-submit').waitFor();

    expect(await sideways()).toBe(0);

    signaling.joinResult = mockSnapshot({ self: { peerId: 'self', state: 'joined', moderator: true } });
    await join(page);
    await page.getByTestId('meeting-tile').nth(1).waitFor();

    expect(await sideways()).toBe(0);
    await page.close();
  });
});
