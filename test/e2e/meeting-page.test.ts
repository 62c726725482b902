import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingInfo } from '../../appliance/meetings/meeting-protocol.js';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

type Received = { peerId: string; source: string; kind: string; id: string; live: boolean; muted: boolean };

/** Lists the tracks a meeting page receives, as receivedTracks() returns them. */
function receivedTracks(page: Page): Promise<Received[]> {
  return page.evaluate(() => {
    const element = document.querySelector('podium-meeting-page') as unknown as {
      receivedTracks(): { peerId: string; source: string; kind: string; track: MediaStreamTrack }[];
    };

    return element.receivedTracks().map(({ peerId, source, kind, track }) => ({
      peerId,
      source,
      kind,
      id: track.id,
      live: track.readyState === 'live',
      muted: track.muted,
    }));
  });
}

/** Waits until a page plays the other participant's camera in a tile: frames decoded, the picture moving. */
async function waitForOtherVideo(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const root = document.querySelector('podium-meeting-page')?.shadowRoot;

      for (const tile of root?.querySelectorAll('podium-meeting-tile') ?? []) {
        const figure = tile.shadowRoot?.querySelector('figure');
        const video = tile.shadowRoot?.querySelector('video');

        if (figure?.dataset.source !== 'camera' || figure.dataset.self === 'true') continue;
        if (video && video.videoWidth > 0 && video.currentTime > 0 && figure.dataset.hasVideo === 'true') return true;
      }

      return false;
    },
    null,
    { timeout: 30_000 },
  );
}

describe('meeting page in Chromium', () => {
  let podium: TestPodium;
  let browser: Browser;
  let meeting: MeetingInfo;
  const pages: Page[] = [];

  beforeAll(async () => {
    podium = await startTestPodium();

    const created = await podium.api('POST', '/api/meetings', { name: 'Teamrunde' });

    expect(created.status).toBe(201);
    meeting = created.body as MeetingInfo;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  async function joinAs(name: string): Promise<Page> {
    // Each newPage has a context of its own, so each page keeps its own participant key.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });

    pages.push(page);
    await page.goto(`${podium.baseUrl}${meeting.link}`);
    await page.getByRole('heading', { name: 'Teamrunde' }).waitFor();
    await page.getByTestId('join-name').fill(name);
    await page.getByTestId('join-submit').click();
    await page.getByTestId('meeting-grid').waitFor({ timeout: 20_000 });

    return page;
  }

  it('two participants see each other', async () => {
    const ada = await joinAs('Ada');
    const bruno = await joinAs('Bruno');

    await Promise.all([waitForOtherVideo(ada), waitForOtherVideo(bruno)]);

    for (const page of [ada, bruno]) {
      const tracks = await receivedTracks(page);

      expect(tracks.filter((track) => track.kind === 'video' && track.source === 'camera' && track.live)).toHaveLength(1);
      expect(tracks.filter((track) => track.kind === 'audio' && track.source === 'microphone' && track.live)).toHaveLength(1);
      expect(await page.getByTestId('meeting-tile').count()).toBe(2);
      expect(await page.locator('[data-testid="meeting-tile"][data-self="true"]').getAttribute('data-has-video')).toBe('true');
    }
  });

  it('media return after a worker death', async () => {
    const [ada, bruno] = pages as [Page, Page];
    const before = new Set([...(await receivedTracks(ada)), ...(await receivedTracks(bruno))].map((track) => track.id));
    const { sfu } = podium.podium;
    // The only meeting's router runs on the last worker: meetings take the worker with the fewest, the last on a tie.
    const killedPid = sfu.workerPids.at(-1)!;

    process.kill(killedPid, 'SIGKILL');

    for (const page of [ada, bruno]) {
      const fresh = await waitFor(
        'new camera and microphone tracks after the worker death',
        async () => {
          const tracks = (await receivedTracks(page)).filter((track) => track.live && !before.has(track.id));

          return tracks.length === 2 ? tracks : undefined;
        },
        { timeoutMs: 60_000 },
      );

      expect(fresh.map((track) => track.source).sort()).toEqual(['camera', 'microphone']);
      await waitForOtherVideo(page);
    }

    expect(sfu.workerPids).not.toContain(killedPid);
  });

  it('listed with two participants', async () => {
    const { body } = await podium.api('GET', '/api/meetings');
    const listed = (body as MeetingInfo[]).find((entry) => entry.id === meeting.id);

    expect(listed?.participants).toBe(2);
    expect(listed?.state).toBe('open');
  });
});
