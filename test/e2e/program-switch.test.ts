import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { ProgramLayout } from '../../appliance/signaling/protocol.js';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { colorName } from '../helpers/frames.js';
import { openHlsProbe, type HlsProbe } from '../helpers/hls-probe-page.js';
import { publishColor, type RoomSource } from '../helpers/room-sources.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/** Points of the program picture, as fractions: where each layout puts what (as in test/integration/program.test.ts). */
const TOP_MIDDLE = [0.5, 0.1] as const; // above the side-by-side halves
const LEFT_HALF = [0.25, 0.5] as const;
const SLIDES_ONLY = [0.55, 0.3] as const;
const CORNER = [0.87, 0.85] as const; // the camera picture in picture

type Point = readonly [number, number];
type PlaylistSample = { sequence: number; segments: string[]; text: string };

/** What the HLS picture shows in each layout, with red slides over the venue test picture. */
const LOOKS: Record<Exclude<ProgramLayout, 'remote-speaker'>, [Point, (color: string) => boolean][]> = {
  camera: [
    [SLIDES_ONLY, (color) => color !== 'red'],
    [TOP_MIDDLE, (color) => color !== 'black'],
  ],
  'slides-camera': [
    [SLIDES_ONLY, (color) => color === 'red'],
    [CORNER, (color) => color !== 'red'],
  ],
  slides: [
    [SLIDES_ONLY, (color) => color === 'red'],
    [CORNER, (color) => color === 'red'],
  ],
  'side-by-side': [
    [TOP_MIDDLE, (color) => color === 'black'],
    [LEFT_HALF, (color) => color === 'red'],
  ],
};

function parsePlaylist(text: string): PlaylistSample {
  const sequence = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? -1);

  return { sequence, segments: text.split('\n').filter((line) => line.endsWith('.ts')), text };
}

describe('program switching on the console in Chromium', () => {
  let podium: TestPodium;
  let browser: Browser;
  let consolePage: Page;
  let probe: HlsProbe;
  let eventId: string;
  let slides: RoomSource | undefined;
  const samples: PlaylistSample[] = [];
  let sampler: NodeJS.Timeout | undefined;

  const layoutButton = (layout: ProgramLayout): Locator =>
    consolePage.locator(`[data-testid="program-layout"][data-layout="${layout}"]`);

  async function publishSlides(): Promise<void> {
    slides = await publishColor(podium.podium.controller.room!, 'lectern-screen', {
      color: 'red',
      width: 1280,
      height: 720,
      fps: 10,
    });
  }

  /** Waits until the HLS player shows a picture of the layout. */
  async function waitForPicture(layout: keyof typeof LOOKS): Promise<void> {
    await waitFor(
      `the HLS player showing the layout "${layout}"`,
      async () => {
        for (const [point, matches] of LOOKS[layout]) {
          if (!matches(colorName(await probe.colorAt(point[0], point[1])))) return false;
        }

        return true;
      },
      { timeoutMs: 45_000, intervalMs: 250 },
    );
  }

  beforeAll(async () => {
    podium = await startTestPodium();
    browser = await launchChromium();
    eventId = await podium.goLive();
    await waitFor('the program on HLS', async () => ((await podium.state()).outputs?.hls === 'live' ? true : undefined), {
      timeoutMs: 45_000,
    });
    consolePage = await openConsole(browser, podium.baseUrl);
    sampler = setInterval(() => {
      void readFile(join(podium.dataDir, 'hls', eventId, '720p.m3u8'), 'utf8').then(
        (text) => samples.push(parsePlaylist(text)),
        () => undefined,
      );
    }, 250);
  });

  afterAll(async () => {
    clearInterval(sampler);
    await slides?.stop();
    await browser?.close();
    await podium?.close();
  });

  it('disables layouts whose source is missing', async () => {
    await layoutButton('camera').and(consolePage.locator('[data-on-air="true"]')).waitFor({ timeout: 30_000 });

    expect(await layoutButton('camera').getAttribute('aria-pressed')).toBe('true');
    expect(await layoutButton('camera').isEnabled()).toBe(true);
    for (const layout of ['slides-camera', 'slides', 'side-by-side', 'remote-speaker'] as const) {
      expect(await layoutButton(layout).isDisabled(), layout).toBe(true);
      expect(await layoutButton(layout).getAttribute('aria-pressed'), layout).toBe('false');
    }
    expect(await layoutButton('slides').textContent()).toContain('Keine Folien geteilt');
    expect(await layoutButton('remote-speaker').textContent()).toContain('Kein Remote-Redner verbunden');

    // Screen readers read the reason as the button's description.
    const description = await layoutButton('slides').evaluate((button) => {
      const id = button.getAttribute('aria-describedby');

      return id ? (button.getRootNode() as ShadowRoot).getElementById(id)?.textContent?.trim() : undefined;
    });

    expect(description).toBe('Keine Folien geteilt');
    expect(await consolePage.getByTestId('program-fallback').count()).toBe(0);
  });

  it('switches layouts while hls.js plays', async () => {
    await publishSlides();
    await layoutButton('slides').and(consolePage.locator(':enabled')).waitFor({ timeout: 30_000 });

    probe = await openHlsProbe(browser, podium.baseUrl, `/hls/${eventId}/index.m3u8`);

    const navigations: string[] = [];

    probe.page.on('framenavigated', (frame) => {
      if (frame === probe.page.mainFrame()) navigations.push(frame.url());
    });
    await waitFor('the HLS player to play', async () => (await probe.currentTime()) > 2, { timeoutMs: 45_000 }).catch(
      async (error: Error) => {
        throw new Error(`${error.message}; hls.js reported ${JSON.stringify(await probe.report())}`);
      },
    );
    await waitForPicture('camera');

    const { pageId } = await probe.report();
    const startedAt = Date.now();
    const startTime = await probe.currentTime();

    for (const layout of ['slides', 'side-by-side', 'slides-camera', 'camera', 'slides'] as const) {
      const before = await probe.currentTime();

      if (layout === 'slides-camera') {
        // By keyboard, finding the button by the name screen readers announce.
        await consolePage.getByRole('button', { name: 'Folien mit Kamera', exact: true }).focus();
        await consolePage.keyboard.press('Enter');
      } else {
        await layoutButton(layout).click();
      }
      await layoutButton(layout).and(consolePage.locator('[data-on-air="true"]')).waitFor({ timeout: 10_000 });

      expect(await layoutButton(layout).getAttribute('aria-pressed'), layout).toBe('true');

      await waitForPicture(layout);

      expect(await probe.currentTime(), `playback time after switching to ${layout}`).toBeGreaterThan(before);
    }

    const report = await probe.report();
    const playedSeconds = (await probe.currentTime()) - startTime;
    const elapsedSeconds = (Date.now() - startedAt) / 1000;

    expect(report.errors.filter((error) => error.fatal)).toEqual([]);
    expect(report.manifestLoads).toBe(1);
    expect(report.pageId).toBe(pageId);
    expect(navigations).toEqual([]);
    // Playback kept pace with the wall clock, allowing for short stalls on a busy machine.
    expect(playedSeconds).toBeGreaterThan(elapsedSeconds * 0.6);

    // The player loaded every segment in order, with no discontinuity (the encoder never restarted).
    const sequenceNumbers = [...new Set(report.fragments.map((fragment) => fragment.sn))].sort((a, b) => a - b);

    expect(sequenceNumbers.length).toBeGreaterThan(5);
    expect(sequenceNumbers.at(-1)! - sequenceNumbers[0]!).toBe(sequenceNumbers.length - 1);
    expect(new Set(report.fragments.map((fragment) => fragment.cc))).toEqual(new Set([0]));
  }, 300_000);

  it('keeps the playlist continuous', () => {
    expect(samples.length).toBeGreaterThan(20);
    for (const [index, sample] of samples.entries()) {
      const tags = sample.text.split('\n');

      expect(tags, `playlist sample ${index}`).not.toContain('#EXT-X-DISCONTINUITY');
      expect(tags, `playlist sample ${index}`).not.toContain('#EXT-X-ENDLIST');
      expect(tags, `playlist sample ${index}`).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:0');
    }
    for (let index = 1; index < samples.length; index++) {
      const previous = samples[index - 1]!;
      const sample = samples[index]!;

      expect(sample.sequence, `media sequence at sample ${index}`).toBeGreaterThanOrEqual(previous.sequence);

      // A segment keeps its place: the same media sequence number names the same file in both samples.
      for (const [offset, segment] of sample.segments.entries()) {
        const previousOffset = sample.sequence + offset - previous.sequence;

        if (previousOffset >= 0 && previousOffset < previous.segments.length) {
          expect(previous.segments[previousOffset], `segment ${sample.sequence + offset}`).toBe(segment);
        }
      }
    }
  });

  it('notes the fallback to the camera when the slides stop', async () => {
    expect(await layoutButton('slides').getAttribute('data-on-air')).toBe('true');

    await slides!.stop();
    slides = undefined;

    const note = consolePage.getByTestId('program-fallback');

    await note.waitFor({ timeout: 30_000 });

    expect(await note.textContent()).toContain('Folien fehlen – Kamera auf Sendung');
    expect(await layoutButton('camera').getAttribute('data-on-air')).toBe('true');
    expect(await layoutButton('slides').getAttribute('aria-pressed')).toBe('true');
    expect(await layoutButton('slides').isDisabled()).toBe(true);
    await waitForPicture('camera');

    // The chosen layout returns with its source.
    await publishSlides();
    await note.waitFor({ state: 'detached', timeout: 30_000 });

    expect(await layoutButton('slides').getAttribute('data-on-air')).toBe('true');
    await waitForPicture('slides');
    expect((await probe.report()).errors.filter((error) => error.fatal)).toEqual([]);
  }, 240_000);

  it('shows and hides the lower third', async () => {
    await consolePage.getByTestId('lower-third-title').fill('Lesung im Lesesaal');
    await consolePage.getByTestId('lower-third-name').fill('Dr. Ada Example');
    await consolePage.getByTestId('lower-third-show').click();

    const state = consolePage.getByTestId('lower-third-state');

    await state.and(consolePage.locator('[data-visible="true"]')).waitFor({ timeout: 10_000 });

    const lowerThird = (await podium.api('GET', '/api/program')).body.program.lowerThird;

    expect(lowerThird).toEqual({ visible: true, title: 'Lesung im Lesesaal', name: 'Dr. Ada Example' });
    expect(await consolePage.getByTestId('lower-third-show').textContent()).toContain('Text übernehmen');

    await consolePage.getByTestId('lower-third-hide').click();
    await state.and(consolePage.locator('[data-visible="false"]')).waitFor({ timeout: 10_000 });

    expect((await podium.api('GET', '/api/program')).body.program.lowerThird.visible).toBe(false);
    expect(await consolePage.getByTestId('lower-third-hide').isDisabled()).toBe(true);
    // The texts stay in the form for the next time.
    expect(await consolePage.getByTestId('lower-third-title').inputValue()).toBe('Lesung im Lesesaal');
  });

  it('names the layouts in English', async () => {
    await consolePage.locator('podium-language-switch select').selectOption('en');

    expect(await layoutButton('slides-camera').textContent()).toContain('Slides with camera');
    expect(await layoutButton('side-by-side').textContent()).toContain('Side by side');
    expect(await layoutButton('slides').textContent()).toContain('On air');
    expect(await layoutButton('remote-speaker').textContent()).toContain('No remote speaker connected');
    expect(await consolePage.getByRole('heading', { name: 'Program', exact: true }).count()).toBe(1);
  });
});
