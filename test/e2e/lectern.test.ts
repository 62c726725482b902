import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { colorAt, colorName, decodeFirstFrame, type Frame } from '../helpers/frames.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/** Points of the program, as fractions: the slides, and the camera's picture in picture. */
const SLIDES = [0.55, 0.3] as const;
const CORNER = [0.87, 0.85] as const;

describe('lectern page', () => {
  let podium: TestPodium;
  let browser: Browser;
  let page: Page;
  let eventId: string;
  let dir: string;

  const at = (frame: Frame, point: readonly [number, number]) => colorName(colorAt(frame, point[0], point[1]));

  async function newestFrame(): Promise<{ sequence: number; frame: Frame }> {
    const hlsDir = join(podium.dataDir, 'hls', eventId);
    const text = await readFile(join(hlsDir, '720p.m3u8'), 'utf8');
    const segments = text.split('\n').filter((line) => line.endsWith('.ts'));
    const first = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);

    return { sequence: first + segments.length - 1, frame: await decodeFirstFrame(join(hlsDir, segments.at(-1)!)) };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podium-lectern-'));
    // The laptop camera: a plain blue picture, so that the program shows where it went.
    const camera = join(dir, 'camera.y4m');

    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=blue:size=640x360:rate=10', '-t', '1', '-pix_fmt', 'yuv420p', camera]);
    podium = await startTestPodium();
    eventId = (await podium.api('GET', '/api/events')).body.events[0].id;
    await podium.api('POST', `/api/events/${eventId}/start`);
    await podium.waitForState('live');
    await waitFor('the program on HLS', async () => ((await podium.state()).outputs?.hls === 'live' ? true : undefined), {
      timeoutMs: 45_000,
    });
    browser = await launchChromium([
      '--auto-select-desktop-capture-source=Entire screen',
      `--use-file-for-fake-video-capture=${camera}`,
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens from a speaker invite', async () => {
    const invite = await podium.api('POST', `/api/events/${eventId}/invites`, { role: 'speaker', label: 'Frau Beispiel' });
    const search = new URL(invite.body.url).search;

    page = await browser.newPage();
    await page.goto(`${podium.baseUrl}/join${search}&next=present`);

    expect(new URL(page.url()).pathname).toBe('/present');
    await page.getByTestId('lectern-state').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
  });

  it('shares the screen and the camera as two tracks', async () => {
    await page.getByTestId('share-screen').click();
    await page.getByTestId('share-camera').click();
    await page.getByTestId('share-screen').and(page.locator('[aria-pressed="true"]')).waitFor({ timeout: 15_000 });
    await page.getByTestId('share-camera').and(page.locator('[aria-pressed="true"]')).waitFor({ timeout: 15_000 });

    const room = podium.podium.controller.room!;
    const stats = await waitFor('packets of both tracks', async () => {
      const screen = await room.producerStats('lectern-screen');
      const camera = await room.producerStats('lectern-camera');

      return screen && camera && screen.packetCount > 20 && camera.packetCount > 20 ? { screen, camera } : undefined;
    }, { timeoutMs: 20_000 });

    expect(stats.screen.byteCount).toBeGreaterThan(0);
    expect(stats.camera.byteCount).toBeGreaterThan(0);

    await waitFor('the slides offered to staff', async () => {
      const { body } = await podium.api('GET', '/api/program');

      return body.program?.available.includes('slides-camera') ? true : undefined;
    }, { timeoutMs: 30_000 });
    expect((await podium.api('POST', '/api/program/layout', { layout: 'slides-camera' })).status).toBe(200);
  });

  it('shows slides and the laptop camera in the Folien mit Kamera layout', async () => {
    const after = (await newestFrame()).sequence + 1;
    const frame = await waitFor('slides with the laptop camera', async () => {
      const newest = await newestFrame();

      if (newest.sequence <= after) return undefined;
      if (at(newest.frame, SLIDES) !== 'green' || at(newest.frame, CORNER) !== 'blue') {
        throw new Error(`slides ${colorAt(newest.frame, ...SLIDES)}, corner ${colorAt(newest.frame, ...CORNER)}`);
      }

      return newest.frame;
    }, { timeoutMs: 30_000, intervalMs: 500 });

    // Chromium's fake screen is green, the laptop camera blue.
    expect(at(frame, SLIDES)).toBe('green');
    expect(at(frame, CORNER)).toBe('blue');
  });

  it('stops the screen share in the room at once', async () => {
    await page.getByTestId('share-screen').click();
    await page.getByTestId('share-screen').and(page.locator('[aria-pressed="false"]')).waitFor({ timeout: 15_000 });

    await waitFor('the slides gone from the room', () => (podium.podium.controller.room!.hasSource('lectern-screen') ? undefined : true), {
      timeoutMs: 10_000,
    });

    const program = await waitFor('the camera layout on air', async () => {
      const { body } = await podium.api('GET', '/api/program');

      return body.program.onAir === 'camera' ? body.program : undefined;
    }, { timeoutMs: 20_000 });

    expect(program.layout).toBe('slides-camera');
  });

  it('tells a visitor without an invite to open it', async () => {
    const listener = await browser.newPage();
    const slidesBefore = podium.podium.controller.room!.hasSource('lectern-screen');

    await listener.goto(`${podium.baseUrl}/present`);
    await listener.getByTestId('needs-invite').waitFor({ timeout: 15_000 });

    expect(await listener.getByTestId('needs-invite').textContent()).toContain('Einladungslink');
    expect(await listener.getByTestId('share-screen').isDisabled()).toBe(true);
    expect(await listener.getByTestId('share-camera').isDisabled()).toBe(true);
    // The server refuses such a page anyway (see the roles test); nothing new was published.
    expect(podium.podium.controller.room!.hasSource('lectern-screen')).toBe(slidesBefore);
    await listener.close();
  });
});
