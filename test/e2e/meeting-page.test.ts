import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingInfo } from '../../appliance/meetings/meeting-protocol.js';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

type SentRequest = { id: number; type: string; data: unknown };
type Received = { peerId: string; source: string; kind: string; id: string; live: boolean; muted: boolean; spatialLayer?: number | null };

/** Lists the tracks a meeting page receives, as receivedTracks() returns them. */
function receivedTracks(page: Page): Promise<Received[]> {
  return page.evaluate(() => {
    const element = document.querySelector('podium-meeting-page') as unknown as {
      receivedTracks(): { peerId: string; source: string; kind: string; track: MediaStreamTrack; spatialLayer?: number | null }[];
    };

    return element.receivedTracks().map(({ peerId, source, kind, track, spatialLayer }) => ({
      spatialLayer,
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
  /** The signaling requests each page sent, oldest first. */
  const requests = new Map<Page, SentRequest[]>();

  function layerRequests(page: Page): { consumerId: string; spatialLayer: number }[] {
    return requests
      .get(page)!
      .filter((request) => request.type === 'setPreferredLayer')
      .map((request) => request.data as { consumerId: string; spatialLayer: number });
  }

  beforeAll(async () => {
    podium = await startTestPodium();

    const created = await podium.api('POST', '/api/meetings', { name: 'Teamrunde' });

    expect(created.status).toBe(201);
    meeting = created.body as MeetingInfo;
    // Chromium picks the whole (virtual) screen for getDisplayMedia without a dialog.
    browser = await launchChromium(['--auto-select-desktop-capture-source=Entire screen']);
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  async function joinAs(name: string): Promise<Page> {
    // Each newPage has a context of its own, so each page keeps its own participant key.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });

    pages.push(page);
    requests.set(page, []);
    page.on('websocket', (socket) => {
      socket.on('framesent', (frame) => requests.get(page)!.push(JSON.parse(String(frame.payload)) as SentRequest));
    });
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

  /** Returns the peer id of a page's own participant, from its own tile. */
  function ownPeerId(page: Page): Promise<string | null> {
    return page.locator('[data-testid="meeting-tile"][data-self="true"]').getAttribute('data-peer-id');
  }

  it('camera sends VP8 simulcast', async () => {
    const session = podium.podium.meetings.sessionOf(meeting.id)!;
    const camera = session
      .mediaOf((await ownPeerId(pages[0]!))!)!
      .producers()
      .find((entry) => entry.source === 'camera')!.producer;

    expect(camera.type).toBe('simulcast');
    expect(camera.rtpParameters.codecs[0]?.mimeType).toBe('video/VP8');
    expect(camera.rtpParameters.encodings).toHaveLength(2);
  });

  it('shared screen arrives beside the camera', async () => {
    const [ada, bruno] = pages as [Page, Page];
    const adaId = (await ownPeerId(ada))!;

    await ada.getByTestId('meeting-screen').click();
    await bruno
      .locator(`[data-testid="meeting-tile"][data-peer-id="${adaId}"][data-source="screen"][data-has-video="true"]`)
      .waitFor({ timeout: 20_000 });

    const fromAda = (await receivedTracks(bruno)).filter((track) => track.peerId === adaId && track.kind === 'video' && track.live);

    expect(fromAda.map((track) => track.source).sort()).toEqual(['camera', 'screen']);

    await bruno.getByTestId('meeting-view').click();

    const large = bruno.locator('podium-meeting-tile[large]').getByTestId('meeting-tile');

    expect(await large.getAttribute('data-source')).toBe('screen');
    expect(await large.getAttribute('data-peer-id')).toBe(adaId);

    // Ada's camera is a thumbnail now: the page requests the low layer, and the server sends it.
    const adaCameraLayer = async () =>
      (await receivedTracks(bruno)).find((track) => track.peerId === adaId && track.source === 'camera')?.spatialLayer;

    await waitFor('the low layer of the thumbnail', async () => (await adaCameraLayer()) === 0, { timeoutMs: 20_000 });

    const thumbnailIndex = layerRequests(bruno).length - 1;
    const thumbnail = layerRequests(bruno)[thumbnailIndex];

    expect(thumbnail?.spatialLayer).toBe(0);

    // Whether the high layer then arrives depends on the sending browser, which drops it when its CPU or
    // uplink is short (as on a loaded test machine), so the test checks the page's request.
    await bruno.getByTestId('meeting-view').click();
    await waitFor('the request for the high layer', () =>
      layerRequests(bruno)
        .slice(thumbnailIndex + 1)
        .some((request) => request.consumerId === thumbnail?.consumerId && request.spatialLayer === 1),
    );
  });

  it('muted microphone shows in the list', async () => {
    const [ada, bruno] = pages as [Page, Page];
    const brunoId = (await ownPeerId(bruno))!;
    const entry = ada.locator(`[data-testid="participant"][data-peer-id="${brunoId}"]`);
    const brunoMedia = () => podium.podium.meetings.sessionOf(meeting.id)!.mediaOf(brunoId)!;

    await bruno.getByTestId('meeting-microphone').click();
    await entry.filter({ hasText: 'Mikrofon aus' }).waitFor();

    expect(brunoMedia().isPaused('microphone')).toBe(true);
    expect(await bruno.getByTestId('meeting-microphone').textContent()).toContain('Mikrofon einschalten');

    await bruno.getByTestId('meeting-microphone').click();
    await entry.filter({ hasNotText: 'Mikrofon aus' }).waitFor();

    expect(brunoMedia().isPaused('microphone')).toBe(false);
  });

  it('media return after a worker death', async () => {
    const [ada, bruno] = pages as [Page, Page];
    const before = new Set([...(await receivedTracks(ada)), ...(await receivedTracks(bruno))].map((track) => track.id));
    const { sfu } = podium.podium;
    // The only meeting's router runs on the last worker: meetings take the worker with the fewest, the last on a tie.
    const killedPid = sfu.workerPids.at(-1)!;

    process.kill(killedPid, 'SIGKILL');

    // Ada still shares her screen: it comes back along with the cameras and microphones.
    const expected = new Map([
      [ada, ['camera', 'microphone']],
      [bruno, ['camera', 'microphone', 'screen']],
    ]);

    for (const [page, sources] of expected) {
      const fresh = await waitFor(
        'new tracks after the worker death',
        async () => {
          const tracks = (await receivedTracks(page)).filter((track) => track.live && !before.has(track.id));

          return tracks.length === sources.length ? tracks : undefined;
        },
        { timeoutMs: 60_000 },
      );

      expect(fresh.map((track) => track.source).sort()).toEqual(sources);
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
