import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { colorAt, colorName, decodeFirstFrame } from '../helpers/frames.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { newestSegment, receivedLevels, writeToneWav } from '../helpers/tones.js';
import { waitFor } from '../helpers/wait-for.js';

/** The remote speaker's voice: Chromium's fake microphone plays this tone. */
const SPEAKER_TONE = 784;
/** The hall's microphone: the built-in test source beeps at 1 kHz. */
const HALL_TONE = 1000;

describe('remote speaker and venue screen in Chromium', () => {
  let podium: TestPodium;
  let speakerBrowser: Browser;
  let staffBrowser: Browser;
  let speaker: Page;
  let venue: Page;
  let eventId: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podium-remote-'));
    // The speaker's camera: a plain red picture, so that the program shows where it went.
    const camera = join(dir, 'camera.y4m');

    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=red:size=640x360:rate=10', '-t', '1', '-pix_fmt', 'yuv420p', camera]);
    podium = await startTestPodium();
    eventId = await podium.goLive();
    await waitFor('the program on HLS', async () => ((await podium.state()).outputs?.hls === 'live' ? true : undefined), {
      timeoutMs: 45_000,
    });
    speakerBrowser = await launchChromium([
      '--auto-select-desktop-capture-source=Entire screen',
      `--use-file-for-fake-video-capture=${camera}`,
      `--use-file-for-fake-audio-capture=${writeToneWav(join(dir, 'speaker.wav'), SPEAKER_TONE)}`,
    ]);
    staffBrowser = await launchChromium();
    // The venue screen is a staff page; opened over loopback like the kiosk's, it gets a staff session.
    venue = await staffBrowser.newPage({ viewport: { width: 1280, height: 720 } });
    await venue.goto(`${podium.baseUrl}/stage`);
  });

  afterAll(async () => {
    await speakerBrowser?.close();
    await staffBrowser?.close();
    await podium?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('speaker invite opens the remote speaker page', async () => {
    const invite = await podium.api('POST', `/api/events/${eventId}/invites`, { role: 'speaker', label: 'Herr Fern' });

    speaker = await speakerBrowser.newPage();
    await speaker.goto(`${podium.baseUrl}/join${new URL(invite.body.url).search}`);

    expect(new URL(speaker.url()).pathname).toBe('/speak');
    await speaker.getByTestId('speaker-state').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
  });

  it('camera and microphone arrive as the remote speaker', async () => {
    await speaker.getByTestId('speaker-media').click();
    await speaker.getByTestId('speaker-media').and(speaker.locator('[aria-pressed="true"]')).waitFor({ timeout: 20_000 });

    const room = podium.podium.controller.room!;

    await waitFor('packets of camera and microphone', async () => {
      const camera = await room.producerStats('remote-speaker');
      const microphone = await room.producerStats('remote-speaker-mic');

      return camera && microphone && camera.packetCount > 20 && microphone.packetCount > 20 ? true : undefined;
    }, { timeoutMs: 20_000 });
  });

  it('remote speaker layout shows the camera', async () => {
    const playlist = join(podium.dataDir, 'hls', eventId, '720p.m3u8');

    await waitFor('the remote speaker layout available', async () =>
      (await podium.state()).program?.available.includes('remote-speaker') || undefined,
    { timeoutMs: 20_000 });
    expect((await podium.api('POST', '/api/program/layout', { layout: 'remote-speaker' })).status).toBe(200);

    const after = (await newestSegment(playlist)).sequence + 1;
    const color = await waitFor('the speaker in the program picture', async () => {
      const { sequence, segments } = await newestSegment(playlist);

      if (sequence <= after) return undefined;

      const frame = await decodeFirstFrame(join(playlist, '..', segments.at(-1)!));
      const name = colorName(colorAt(frame, 0.5, 0.5));

      if (name !== 'red') throw new Error(`the centre is ${name}`);

      return name;
    }, { timeoutMs: 30_000, intervalMs: 500 });

    expect(color).toBe('red');
  });

  it('venue screen shows the remote speaker', async () => {
    await venue.getByTestId('venue-picture').and(venue.locator('[data-source="remote-speaker"]')).waitFor({ timeout: 20_000 });
    await waitFor('a playing picture', () =>
      venue.evaluate(() => {
        const host = document.querySelector('podium-venue-screen-page')!;
        const video = host.shadowRoot!.querySelector('video')!;

        return video.videoWidth > 0 && video.currentTime > 0 ? true : undefined;
      }),
    );
  });

  it('voices reach the hall and return mix-minus', async () => {
    // Measure until both pages have carried the other side's sound (the hall beeps 100 ms each second).
    const [pa, back] = await waitFor('the voices on both pages', async () => {
      const measured = await Promise.all([
        receivedLevels(venue, 'podium-venue-screen-page', [SPEAKER_TONE, HALL_TONE]),
        receivedLevels(speaker, 'podium-speaker-page', [SPEAKER_TONE, HALL_TONE]),
      ]);
      const heard = (measured[0]['remote-speaker-mic']?.[SPEAKER_TONE] ?? -Infinity) > -50 && (measured[1]['venue-mic']?.[HALL_TONE] ?? -Infinity) > -50;

      return heard ? measured : undefined;
    }, { timeoutMs: 45_000, intervalMs: 0 });

    // The venue screen plays the remote voice to the PA, and never the hall's own microphone.
    expect(Object.keys(pa)).toEqual(['remote-speaker-mic']);
    expect(pa['remote-speaker-mic']![SPEAKER_TONE], 'the speaker in the hall').toBeGreaterThan(-50);
    // The speaker's return: the hall, and their own voice tens of dB below what the hall hears of it.
    expect(Object.keys(back)).toEqual(['venue-mic']);
    expect(back['venue-mic']![HALL_TONE], 'the hall in the return').toBeGreaterThan(-50);
    expect(back['venue-mic']![SPEAKER_TONE], 'the own voice in the return').toBeLessThan(pa['remote-speaker-mic']![SPEAKER_TONE]! - 20);
  });

  it('shared screen moves the venue screen to the slides', async () => {
    await speaker.getByTestId('speaker-screen').click();
    await speaker.getByTestId('speaker-screen').and(speaker.locator('[aria-pressed="true"]')).waitFor({ timeout: 15_000 });
    await waitFor('the slides layout available', async () => (await podium.state()).program?.available.includes('slides') || undefined, {
      timeoutMs: 20_000,
    });
    expect((await podium.api('POST', '/api/program/layout', { layout: 'slides' })).status).toBe(200);
    await venue.getByTestId('venue-picture').and(venue.locator('[data-source="lectern-screen"]')).waitFor({ timeout: 20_000 });
  });

  it('venue screen shows the question and the recording tally', async () => {
    const listener = await staffBrowser.newPage();

    await listener.goto(`${podium.baseUrl}/watch`);
    await listener.getByTestId('question-text').fill('Wie sieht das in der Praxis aus?');
    await listener.getByTestId('question-submit').click();

    const questionId = await waitFor('the question', async () => (await podium.api('GET', `/api/events/${eventId}/questions`)).body.questions[0]?.id);

    await podium.api('POST', `/api/events/${eventId}/stage-question`, { questionId });
    await venue.getByTestId('venue-question').filter({ hasText: 'in der Praxis' }).waitFor({ timeout: 10_000 });
    await speaker.getByTestId('speaker-question').filter({ hasText: 'in der Praxis' }).waitFor({ timeout: 10_000 });

    expect(await venue.getByTestId('venue-tally').count()).toBe(0);
    expect((await podium.api('POST', '/api/recording/start')).status).toBeLessThan(300);
    await venue.getByTestId('venue-tally').waitFor({ timeout: 10_000 });
    await podium.api('POST', '/api/recording/stop');
    await venue.getByTestId('venue-tally').waitFor({ state: 'detached', timeout: 10_000 });
  });
});
