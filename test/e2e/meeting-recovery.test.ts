import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/** Returns the decoded frame count and width of another participant's camera tile, or undefined while there is none. */
async function otherCamera(page: Page, peerId: string): Promise<{ frames: number; width: number } | undefined> {
  const video = page.locator(`[data-testid="meeting-tile"][data-peer-id="${peerId}"][data-source="camera"] video`);

  if ((await video.count()) === 0) return undefined;

  return video.evaluate((element: HTMLVideoElement) => ({ frames: element.getVideoPlaybackQuality().totalVideoFrames, width: element.videoWidth }));
}

describe('a meeting after its media worker died', () => {
  let podium: TestPodium;
  let browser: Browser;
  const pages: { name: string; page: Page; peerId: string }[] = [];
  let meetingId: string;

  beforeAll(async () => {
    podium = await startTestPodium();
    meetingId = (await podium.api('POST', '/api/meetings', { name: 'Stammtisch' })).body.id;
    browser = await launchChromium();
    for (const name of ['Erika', 'Fritz']) {
      const page = await (await browser.newContext()).newPage();

      await page.goto(`${podium.baseUrl}/meet?id=${meetingId}`);
      await page.getByTestId('join-name').fill(name);
      await page.getByTestId('join-submit').click();
      await page.getByTestId('meeting-grid').waitFor({ timeout: 30_000 });

      const peerId = await waitFor(`${name}'s peer id`, () => podium.podium.meetings.sessionOf(meetingId)?.peerIdOf(name));

      pages.push({ name, page, peerId });
    }
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('both pages see each other again without a reload', async () => {
    const [erika, fritz] = pages as [(typeof pages)[0], (typeof pages)[0]];

    await waitFor('Fritz\'s camera at Erika', async () => ((await otherCamera(erika.page, fritz.peerId))?.width ?? 0) > 0 || undefined, {
      timeoutMs: 30_000,
    });

    const index = podium.podium.meetings.sessionOf(meetingId)!.workerIndex!;
    const pid = podium.podium.sfu.workerPids[index];

    process.kill(pid!, 'SIGKILL');
    await waitFor('a new media worker', () => (podium.podium.sfu.workerPids[index] !== pid ? true : undefined), { timeoutMs: 30_000 });

    // The pages reconnect and join again with their keys: same names, new peer ids.
    const rejoined = await waitFor('both back in the meeting', () => {
      const session = podium.podium.meetings.sessionOf(meetingId);
      const ids = pages.map((entry) => session?.peerIdOf(entry.name));

      return ids.every((id, index) => id !== undefined && id !== pages[index]!.peerId) ? (ids as string[]) : undefined;
    }, { timeoutMs: 60_000, intervalMs: 300 });

    expect(podium.podium.meetings.sessionOf(meetingId)?.participantCount).toBe(2);
    for (const [index, entry] of pages.entries()) {
      const other = rejoined[1 - index]!;
      const first = await waitFor(`${entry.name} showing the other camera again`, async () => {
        const camera = await otherCamera(entry.page, other);

        return camera && camera.width > 0 ? camera : undefined;
      }, { timeoutMs: 60_000, intervalMs: 500 });

      await waitFor(`${entry.name}'s picture moving`, async () => ((await otherCamera(entry.page, other))?.frames ?? 0) > first.frames || undefined, {
        timeoutMs: 30_000,
        intervalMs: 500,
      });
    }
  });
});
