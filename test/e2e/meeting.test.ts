import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { receivedLevels, writeToneWav } from '../helpers/tones.js';
import { waitFor } from '../helpers/wait-for.js';

/** Each participant's fake microphone plays its own tone, so a receiver can tell the voices apart. */
const TONES = [440, 587, 698, 880];
const NAMES = ['Anna', 'Ben', 'Clara', 'David'];
const BY_PEER = { method: 'receivedTracks', key: 'peerId' };

type Participant = { name: string; tone: number; browser: Browser; page: Page; peerId: string };

/** Lists the video tracks a page receives, by participant and source. */
async function receivedVideos(page: Page): Promise<{ peerId: string; source: string }[]> {
  return page.evaluate(() => {
    const host = document.querySelector('podium-meeting-page') as unknown as {
      receivedTracks(): { peerId: string; source: string; kind: string; track: MediaStreamTrack }[];
    };

    return host
      .receivedTracks()
      .filter((entry) => entry.kind === 'video')
      .map((entry) => ({ peerId: entry.peerId, source: entry.source }));
  });
}

/** Returns the decoded frames and width of each tile's video on a page, by "peerId:source". */
async function tileFrames(page: Page): Promise<Record<string, { frames: number; width: number }>> {
  const tiles = page.getByTestId('meeting-tile');
  const result: Record<string, { frames: number; width: number }> = {};

  for (const tile of await tiles.all()) {
    const key = `${await tile.getAttribute('data-peer-id')}:${await tile.getAttribute('data-source')}`;
    const video = tile.locator('video');

    if ((await video.count()) === 0) continue;
    result[key] = await video.evaluate((element: HTMLVideoElement) => ({
      frames: element.getVideoPlaybackQuality().totalVideoFrames,
      width: element.videoWidth,
    }));
  }

  return result;
}

/** Returns the active speaker a page highlights, or undefined when none. */
async function highlighted(page: Page): Promise<string | undefined> {
  const tile = page.locator('[data-testid="meeting-tile"][data-active="true"][data-source="camera"]');

  return (await tile.count()) === 1 ? ((await tile.getAttribute('data-peer-id')) ?? undefined) : undefined;
}

describe('a meeting of four in Chromium', () => {
  let podium: TestPodium;
  let dir: string;
  let meetingId: string;
  const participants: Participant[] = [];

  async function enter(index: number): Promise<Participant> {
    const browser = await launchChromium([
      `--use-file-for-fake-audio-capture=${writeToneWav(join(dir, `tone-${index}.wav`), TONES[index]!)}`,
      '--auto-select-desktop-capture-source=Entire screen',
    ]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });

    await page.goto(`${podium.baseUrl}/meet?id=${meetingId}`);
    await page.getByTestId('join-name').fill(NAMES[index]!);
    await page.getByTestId('join-submit').click();
    await page.getByTestId('meeting-grid').waitFor({ timeout: 30_000 });

    const peerId = await waitFor(`${NAMES[index]}'s peer id`, () => podium.podium.meetings.sessionOf(meetingId)?.peerIdOf(NAMES[index]!));

    return { name: NAMES[index]!, tone: TONES[index]!, browser, page, peerId };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podium-meeting-'));
    podium = await startTestPodium();

    const created = await podium.api('POST', '/api/meetings', { name: 'Teamrunde' });

    meetingId = created.body.id;
    for (let index = 0; index < 4; index++) participants.push(await enter(index));
  });

  afterAll(async () => {
    for (const participant of participants) await participant.browser.close();
    await podium?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('each participant sees the other three', async () => {
    for (const participant of participants) {
      const others = participants.filter((other) => other !== participant);
      const before = await waitFor(`${participant.name} receiving three cameras`, async () => {
        const frames = await tileFrames(participant.page);

        if (!others.every((other) => (frames[`${other.peerId}:camera`]?.width ?? 0) > 0)) throw new Error(`tiles: ${JSON.stringify(frames)}`);

        return frames;
      }, { timeoutMs: 60_000, intervalMs: 500 });

      // Frames keep coming: every other camera decodes new frames.
      await waitFor(`${participant.name}'s videos playing`, async () => {
        const after = await tileFrames(participant.page);

        return others.every((other) => after[`${other.peerId}:camera`]!.frames > before[`${other.peerId}:camera`]!.frames) || undefined;
      }, { timeoutMs: 30_000, intervalMs: 500 });
    }
  });

  it('each participant hears the other three, each by their own tone', async () => {
    for (const participant of participants) {
      const others = participants.filter((other) => other !== participant);
      const levels = await waitFor(`${participant.name} hearing three voices`, async () => {
        const measured = await receivedLevels(participant.page, 'podium-meeting-page', TONES, 1500, BY_PEER);

        if (!others.every((other) => (measured[other.peerId]?.[other.tone] ?? -Infinity) > -50)) throw new Error(`levels: ${JSON.stringify(measured)}`);

        return measured;
      }, { timeoutMs: 60_000, intervalMs: 0 });

      expect(Object.keys(levels).sort()).toEqual(others.map((other) => other.peerId).sort());
      for (const other of others) {
        expect(levels[other.peerId]![other.tone], `${other.name}'s tone at ${participant.name}`).toBeGreaterThan(-50);
        // The own tone is not in another's track: each track carries one voice.
        expect(levels[other.peerId]![participant.tone], `${participant.name}'s own tone in ${other.name}'s track`).toBeLessThan(
          levels[other.peerId]![other.tone]! - 20,
        );
      }
    }
  });

  it('the active speaker follows the one whose microphone plays', async () => {
    const [anna, ben, , david] = participants as [Participant, Participant, Participant, Participant];

    // Everyone but Anna mutes: Anna is the only voice, and everyone highlights her.
    for (const participant of participants.slice(1)) await participant.page.getByTestId('meeting-microphone').click();
    await waitFor('Anna highlighted everywhere', async () => {
      const seen = await Promise.all([ben, david].map((participant) => highlighted(participant.page)));

      return seen.every((peerId) => peerId === anna.peerId) || undefined;
    }, { timeoutMs: 30_000, intervalMs: 300 });

    // Anna mutes and David speaks: the highlight moves to David.
    await anna.page.getByTestId('meeting-microphone').click();
    await david.page.getByTestId('meeting-microphone').click();
    await waitFor('David highlighted everywhere', async () => {
      const seen = await Promise.all([anna, ben].map((participant) => highlighted(participant.page)));

      return seen.every((peerId) => peerId === david.peerId) || undefined;
    }, { timeoutMs: 30_000, intervalMs: 300 });
    expect(await highlighted(ben.page)).toBe(david.peerId);
  });

  it('a screen share arrives beside the sharer\'s camera', async () => {
    const [anna, ben, clara] = participants as [Participant, Participant, Participant];

    await anna.page.getByTestId('meeting-screen').click();
    for (const receiver of [ben, clara]) {
      const videos = await waitFor(`${receiver.name} receiving Anna's screen and camera`, async () => {
        const received = (await receivedVideos(receiver.page)).filter((video) => video.peerId === anna.peerId);

        return received.length === 2 ? received : undefined;
      }, { timeoutMs: 30_000, intervalMs: 300 });

      expect(videos.map((video) => video.source).sort()).toEqual(['camera', 'screen']);
      await waitFor(`${receiver.name} showing Anna's screen`, async () => {
        const frames = await tileFrames(receiver.page);

        return (frames[`${anna.peerId}:screen`]?.width ?? 0) > 0 && (frames[`${anna.peerId}:camera`]?.width ?? 0) > 0 ? true : undefined;
      }, { timeoutMs: 30_000, intervalMs: 300 });
    }
    await anna.page.getByTestId('meeting-screen').click();
    await waitFor('the screen tile gone at Ben', async () =>
      (await ben.page.locator(`[data-testid="meeting-tile"][data-peer-id="${anna.peerId}"][data-source="screen"]`).count()) === 0 || undefined,
    );
  });

  it('weak receiver gets the low layer', async () => {
    const session = podium.podium.meetings.sessionOf(meetingId)!;
    const [weak, ...strong] = participants as [Participant, ...Participant[]];
    const highEverywhere = () =>
      waitFor('the high layer at every receiver', () => {
        const layers = participants.map((participant) => [...session.mediaOf(participant.peerId)!.currentLayers().values()]);

        return layers.every((list) => list.length === 3 && list.every((layer) => layer === 1)) ? layers : undefined;
      }, { timeoutMs: 60_000, intervalMs: 500 });

    await highEverywhere();
    // The fake camera's simple picture needs far less than the layers' caps (150 and 700 kbit/s):
    // 250 kbit/s carries the three low layers and audio, but no high one beside them.
    await session.mediaOf(weak.peerId)!.limitReceiveBitrate(250_000);

    const weakLayers = await waitFor('the low layer at the weak receiver', () => {
      const layers = [...session.mediaOf(weak.peerId)!.currentLayers().values()];

      if (!layers.every((layer) => layer !== 1)) throw new Error(`weak layers ${JSON.stringify(layers)}`);

      return layers;
    }, { timeoutMs: 60_000, intervalMs: 500 });

    expect(weakLayers).toHaveLength(3);
    for (const participant of strong) {
      expect([...session.mediaOf(participant.peerId)!.currentLayers().values()], `${participant.name}'s layers`).toEqual([1, 1, 1]);
    }
    // The weak page's pictures shrink to the low layer's width, the others' stay at the camera's.
    await waitFor('smaller pictures at the weak page', async () => {
      const frames = await tileFrames(weak.page);

      return strong.every((other) => frames[`${other.peerId}:camera`]!.width <= 320) || undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });

    const strongFrames = await tileFrames(strong[0]!.page);

    expect(strongFrames[`${weak.peerId}:camera`]!.width).toBeGreaterThan(320);
  });
});
