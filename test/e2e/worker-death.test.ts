import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventSnapshot, RecordingInfo } from '../../appliance/signaling/protocol.js';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { openHlsProbe, type HlsProbe } from '../helpers/hls-probe-page.js';
import { isAlive } from '../helpers/processes.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/** Generous bound for the whole recovery on a loaded 2-core machine. */
const RECOVERY_TIMEOUT_MS = 60_000;

type PlaylistSample = { at: number; sequence: number; text: string };

function decodedFrames(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video')?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0,
  );
}

function playbackMode(page: Page): Promise<string | null> {
  return page.getByTestId('playback-mode').getAttribute('data-mode');
}

describe('mediasoup worker killed mid-event', () => {
  let podium: TestPodium;
  let browser: Browser;
  let watch: Page;
  let lectern: Page;
  let speaker: Page;
  let consolePage: Page;
  let probe: HlsProbe;
  let eventId: string;
  const samples: PlaylistSample[] = [];
  const states: string[] = [];
  let sampler: NodeJS.Timeout | undefined;

  async function currentRecording(): Promise<RecordingInfo | null> {
    return (await podium.state()).recording?.current ?? null;
  }

  beforeAll(async () => {
    podium = await startTestPodium();
    browser = await launchChromium(['--auto-select-desktop-capture-source=Entire screen']);
    eventId = await podium.goLive();
    podium.podium.controller.on('change', (snapshot: EventSnapshot) => {
      if (snapshot.event && states.at(-1) !== snapshot.event.state) states.push(snapshot.event.state);
    });
    await waitFor('the program on HLS', async () => ((await podium.state()).outputs?.hls === 'live' ? true : undefined), {
      timeoutMs: 45_000,
    });
    expect((await podium.api('POST', '/api/recording/start')).status).toBe(200);
    await waitFor('a recorded segment', async () => ((await currentRecording())?.bytes ?? 0) > 0, { timeoutMs: 30_000 });

    consolePage = await openConsole(browser, podium.baseUrl);
    watch = await browser.newPage();
    await watch.goto(`${podium.baseUrl}/watch`);
    await watch.evaluate(() => ((window as unknown as { podiumMarker: number }).podiumMarker = 1));
    await waitFor('the watch page to play over WebRTC', async () => (await playbackMode(watch)) === 'webrtc', {
      timeoutMs: 30_000,
    });

    const invite = await podium.api('POST', `/api/events/${eventId}/invites`, { role: 'speaker', label: 'Frau Beispiel' });

    lectern = await browser.newPage();
    await lectern.goto(`${podium.baseUrl}/join${new URL(invite.body.url).search}&next=present`);
    await lectern.getByTestId('share-screen').click();
    await waitFor('the shared screen in the room', async () => {
      const stats = await podium.podium.controller.room?.producerStats('lectern-screen');

      return (stats?.packetCount ?? 0) > 0;
    });

    const remoteInvite = await podium.api('POST', `/api/events/${eventId}/invites`, { role: 'speaker', label: 'Herr Fern' });

    speaker = await browser.newPage();
    await speaker.goto(`${podium.baseUrl}/join${new URL(remoteInvite.body.url).search}`);
    await speaker.getByTestId('speaker-media').click();
    await waitFor('the remote speaker in the room', async () => {
      const stats = await podium.podium.controller.room?.producerStats('remote-speaker-mic');

      return (stats?.packetCount ?? 0) > 0;
    });

    probe = await openHlsProbe(browser, podium.baseUrl, `/hls/${eventId}/index.m3u8`);
    await waitFor('the HLS player to play', async () => (await probe.currentTime()) > 2, { timeoutMs: 45_000 });
    sampler = setInterval(() => {
      void readFile(join(podium.dataDir, 'hls', eventId, '720p.m3u8'), 'utf8').then(
        (text) => samples.push({ at: Date.now(), sequence: Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? -1), text }),
        () => undefined,
      );
    }, 250);
  }, 180_000);

  afterAll(async () => {
    clearInterval(sampler);
    await browser?.close();
    await podium?.close();
  });

  it('rebuilds the room while every client goes on', async () => {
    await waitFor('playlist samples before the kill', () => samples.length >= 8);

    const { sfu, controller } = podium.podium;
    const killedPid = sfu.workerPid;
    const oldRoom = controller.room!;
    const recordingBefore = (await currentRecording())!;
    const fragmentsBefore = (await probe.report()).fragments.length;
    const killedAt = Date.now();

    process.kill(killedPid, 'SIGKILL');

    await consolePage.getByTestId('room-rebuilding').waitFor({ timeout: 10_000 });
    expect(await consolePage.getByTestId('room-rebuilding').textContent()).toContain('Medienprozess ausgefallen');

    const room = await waitFor('the rebuilt room', () => (controller.room !== oldRoom ? controller.room : undefined), {
      timeoutMs: RECOVERY_TIMEOUT_MS,
    });

    expect(sfu.workerPid).not.toBe(killedPid);
    expect(isAlive(killedPid)).toBe(false);
    await consolePage.getByTestId('room-rebuilding').waitFor({ state: 'detached', timeout: RECOVERY_TIMEOUT_MS });

    // The watch page set WebRTC up again by itself and decodes new frames.
    await waitFor('the watch page on WebRTC again', async () => (await playbackMode(watch)) === 'webrtc', {
      timeoutMs: RECOVERY_TIMEOUT_MS,
    });

    const framesBack = await decodedFrames(watch);

    await waitFor('new frames on the watch page', async () => (await decodedFrames(watch)) > framesBack + 30, {
      timeoutMs: RECOVERY_TIMEOUT_MS,
    });
    expect(room.closed).toBe(false);
    expect(await watch.evaluate(() => (window as unknown as { podiumMarker?: number }).podiumMarker)).toBe(1);

    // The lectern page published its screen into the new room.
    await waitFor('the shared screen in the rebuilt room', async () => ((await room.producerStats('lectern-screen'))?.packetCount ?? 0) > 0, {
      timeoutMs: RECOVERY_TIMEOUT_MS,
    });
    expect(await lectern.getByTestId('share-screen').getAttribute('aria-pressed')).toBe('true');

    // The remote speaker page sent its camera and microphone into the new room.
    await waitFor('the remote speaker in the rebuilt room', async () => {
      const camera = await room.producerStats('remote-speaker');
      const microphone = await room.producerStats('remote-speaker-mic');

      return (camera?.packetCount ?? 0) > 0 && (microphone?.packetCount ?? 0) > 0;
    }, { timeoutMs: RECOVERY_TIMEOUT_MS });
    await speaker.getByTestId('speaker-media').and(speaker.locator('[aria-pressed="true"]')).waitFor({ timeout: 10_000 });

    // The HLS player already watching goes on with new segments and no fatal error.
    const sequenceAtKill = samples.filter((sample) => sample.at <= killedAt).at(-1)!.sequence;

    await waitFor('new HLS segments after the rebuild', () => samples.at(-1)!.sequence > sequenceAtKill + 3, {
      timeoutMs: RECOVERY_TIMEOUT_MS,
    });
    await waitFor('hls.js to load segments after the rebuild', async () => (await probe.report()).fragments.length > fragmentsBefore + 3, {
      timeoutMs: RECOVERY_TIMEOUT_MS,
    });

    const report = await probe.report();

    expect(report.errors.filter((error) => error.fatal)).toEqual([]);
    expect(report.manifestLoads).toBe(1);

    // The recording kept its file and goes on growing after the rebuild.
    const recordingAfter = await waitFor('the recording to grow', async () => {
      const current = await currentRecording();

      return current && current.bytes > recordingBefore.bytes + 100_000 ? current : undefined;
    }, { timeoutMs: RECOVERY_TIMEOUT_MS });

    expect(recordingAfter.id).toBe(recordingBefore.id);
    expect(recordingAfter.parts.map((part) => part.fileName)).toContain(recordingBefore.fileName);

    const snapshot = await podium.state();

    expect(snapshot.event?.state).toBe('live');
    expect(snapshot.outputs?.room).toBe('live');
    expect(states).not.toContain('failed');
    expect((await podium.api('GET', '/api/status')).body.worker).toMatchObject({ alive: true, deaths: 1 });
  }, 240_000);

  it('keeps the playlist valid across the rebuild', () => {
    expect(samples.length).toBeGreaterThan(20);
    for (const [index, sample] of samples.entries()) {
      const tags = sample.text.split('\n');

      expect(tags, `playlist sample ${index}`).not.toContain('#EXT-X-ENDLIST');
      expect(sample.text, `playlist sample ${index}`).toMatch(/^#EXT-X-DISCONTINUITY-SEQUENCE:\d+$/m);
    }
    for (let index = 1; index < samples.length; index++) {
      expect(samples[index]!.sequence, `media sequence of sample ${index}`).toBeGreaterThanOrEqual(samples[index - 1]!.sequence);
    }
    // The compositor restarted into the new room: its segments follow a discontinuity.
    expect(samples.some((sample) => sample.text.includes('#EXT-X-DISCONTINUITY\n'))).toBe(true);
  });
});
