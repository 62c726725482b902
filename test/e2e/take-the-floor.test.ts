import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toneLevel } from '../helpers/audio-samples.js';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { newestHlsSamples, newestSegment, receivedLevels, writeToneWav } from '../helpers/tones.js';
import { waitFor } from '../helpers/wait-for.js';

/** The listener's voice: Chromium's fake microphone plays this tone. */
const GUEST_TONE = 523;
/** The hall's microphone: the built-in test source beeps at 1 kHz. */
const HALL_TONE = 1000;

describe('taking the floor in Chromium', () => {
  let podium: TestPodium;
  let guestBrowser: Browser;
  let staffBrowser: Browser;
  let consolePage: Page;
  let listener: Page;
  /** Another listener, who hears the program with the guest's voice in it. */
  let neighbour: Page;
  let dir: string;
  let playlist: string;

  /** Waits until the guest tone's level in the newest HLS segments, encoded from now on, passes the check. */
  async function waitForGuestTone(state: string, check: (level: number) => boolean): Promise<void> {
    const after = (await newestSegment(playlist)).sequence + 1;

    await waitFor(`the guest tone ${state} in the HLS sound`, async () => {
      if ((await newestSegment(playlist)).sequence < after + 2) return undefined;

      const level = toneLevel(await newestHlsSamples(playlist, 2), GUEST_TONE);

      if (!check(level)) throw new Error(`${GUEST_TONE} Hz at level ${level.toFixed(4)}`);

      return true;
    }, { timeoutMs: 45_000, intervalMs: 500 });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podium-floor-'));
    podium = await startTestPodium();

    const eventId = await podium.goLive();

    playlist = join(podium.dataDir, 'hls', eventId, '720p.m3u8');
    await waitFor('the program on HLS', async () => ((await podium.state()).outputs?.hls === 'live' ? true : undefined), {
      timeoutMs: 45_000,
    });
    guestBrowser = await launchChromium([`--use-file-for-fake-audio-capture=${writeToneWav(join(dir, 'guest.wav'), GUEST_TONE)}`]);
    staffBrowser = await launchChromium();
    consolePage = await openConsole(staffBrowser, podium.baseUrl);
    listener = await guestBrowser.newPage();
    await listener.goto(`${podium.baseUrl}/watch`);
    neighbour = await staffBrowser.newPage();
    await neighbour.goto(`${podium.baseUrl}/watch`);
    for (const page of [listener, neighbour]) {
      await page.getByTestId('playback-mode').and(page.locator('[data-mode="webrtc"]')).waitFor({ timeout: 30_000 });
    }
  });

  afterAll(async () => {
    await guestBrowser?.close();
    await staffBrowser?.close();
    await podium?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('staff invite a raised hand and the listener consents', async () => {
    await listener.getByTestId('question-name').fill('Clara');
    await listener.getByTestId('hand').click();
    await consolePage.getByTestId('raised-hand').filter({ hasText: 'Clara' }).getByTestId('hand-invite').click();
    await consolePage.getByTestId('floor-state').and(consolePage.locator('[data-state="invited"]')).waitFor({ timeout: 10_000 });

    const invitation = listener.getByTestId('stage-invitation');

    await invitation.waitFor({ timeout: 10_000 });
    expect(await invitation.getAttribute('role')).toBe('alertdialog');
    expect(podium.podium.controller.room?.sources()).not.toContain('listener-on-stage');

    await listener.getByTestId('stage-camera').check();
    await listener.getByTestId('stage-accept').click();
    await listener.getByTestId('stage-guest').waitFor({ timeout: 15_000 });
    await consolePage.getByTestId('floor-state').and(consolePage.locator('[data-state="on-stage"]')).waitFor({ timeout: 10_000 });
    expect(await consolePage.getByTestId('floor-state').textContent()).toContain('Clara');
  });

  it('the listener\'s tone is in the HLS program sound', async () => {
    await waitForGuestTone('present', (amplitude) => amplitude > 0.03);
    expect(toneLevel(await newestHlsSamples(playlist, 2), GUEST_TONE)).toBeGreaterThan(0.03);
  });

  it('the guest camera stands in for the remote speaker', async () => {
    await waitFor('the remote speaker layout available', async () =>
      (await podium.state()).program?.available.includes('remote-speaker') || undefined,
    { timeoutMs: 20_000 });

    expect(podium.podium.controller.room?.sources()).toContain('listener-camera');
    expect(podium.podium.controller.room?.sources()).not.toContain('remote-speaker');
  });

  it('the listener hears the hall but not their own voice', async () => {
    // The hall beeps 100 ms each second: measure until the return has carried a beep.
    const [own, other] = await waitFor('the hall beep in the return', async () => {
      const measured = await Promise.all([
        receivedLevels(listener, 'podium-watch-page', [GUEST_TONE, HALL_TONE]),
        receivedLevels(neighbour, 'podium-watch-page', [GUEST_TONE, HALL_TONE]),
      ]);

      return (measured[0]['venue-mic']?.[HALL_TONE] ?? -Infinity) > -50 ? measured : undefined;
    }, { timeoutMs: 45_000, intervalMs: 0 });

    expect(Object.keys(own)).toEqual(['venue-mic']);
    expect(own['venue-mic']![HALL_TONE], 'the hall beep in the return').toBeGreaterThan(-50);
    // The same measurement hears the guest's voice in the program of the other listener.
    expect(Object.keys(other)).toEqual(['program-audio']);
    expect(other['program-audio']![GUEST_TONE], 'the guest in the program').toBeGreaterThan(-50);
    expect(own['venue-mic']![GUEST_TONE], 'the own voice in the return').toBeLessThan(other['program-audio']![GUEST_TONE]! - 20);
  });

  it('muting takes the guest out of the program and back', async () => {
    await consolePage.getByTestId('floor-mute').click();
    await listener.getByTestId('stage-status').and(listener.locator('[data-muted="true"]')).waitFor({ timeout: 10_000 });
    await waitFor('the paused producer', () => podium.podium.controller.room?.isPaused('listener-on-stage') || undefined);
    await waitForGuestTone('gone', (amplitude) => amplitude < 0.005);

    await consolePage.getByTestId('floor-mute').click();
    await listener.getByTestId('stage-status').and(listener.locator('[data-muted="false"]')).waitFor({ timeout: 10_000 });
    await waitForGuestTone('back', (amplitude) => amplitude > 0.03);
  });

  it('guest is heard again after the media worker died', async () => {
    const [pid] = podium.podium.sfu.workerPids;

    process.kill(pid!, 'SIGKILL');
    await waitFor('a new media worker', () => (podium.podium.sfu.workerPids[0] !== pid ? true : undefined), { timeoutMs: 30_000 });
    await waitFor('the guest microphone in the new room', () => podium.podium.controller.room?.hasSource('listener-on-stage') || undefined, {
      timeoutMs: 60_000,
    });
    await waitForGuestTone('back after the worker death', (amplitude) => amplitude > 0.03);
    expect(await listener.getByTestId('stage-guest').count()).toBe(1);
  });

  it('staff remove the guest and the program sound returns', async () => {
    await consolePage.getByTestId('floor-remove').click();
    await listener.getByTestId('stage-guest').waitFor({ state: 'detached', timeout: 10_000 });
    await waitFor('the stage microphone gone', () => !podium.podium.controller.room?.hasSource('listener-on-stage') || undefined);
    await waitFor('the stage camera gone', () => !podium.podium.controller.room?.hasSource('listener-camera') || undefined);

    const sources = await waitFor('the program sound again', async () => {
      const received = await listener.evaluate(() =>
        (document.querySelector('podium-watch-page') as unknown as { receivedAudio(): { source: string }[] })
          .receivedAudio()
          .map((entry) => entry.source),
      );

      return received.some((source) => source === 'program-audio' || source === 'venue-mic') ? received : undefined;
    });

    expect(sources).toHaveLength(1);
  });
});
