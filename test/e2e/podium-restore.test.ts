import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { probeDuration, probeStreams } from '../helpers/ffprobe.js';
import { isAlive } from '../helpers/processes.js';
import { RtmpTestServer } from '../helpers/rtmp-server.js';
import { TestSignaling } from '../helpers/signaling-client.js';
import { goLiveSpawned, mainScript, spawnPodium, type SpawnedPodium } from '../helpers/spawned-podium.js';
import { waitFor } from '../helpers/wait-for.js';

const LOWER_THIRD = { visible: true, title: 'Lesung', name: 'Jürgen Becker' };
const STREAM_KEY = 'restore-key';

function watchStats(page: Page): Promise<{ videoBytes: number; frames: number; mode: string | null }> {
  return page.evaluate(async () => {
    const element = document.querySelector('podium-watch-page') as
      | (HTMLElement & { receiveStats(): Promise<{ videoBytes: number }> })
      | null;
    const video = element?.shadowRoot?.querySelector('video');
    const mode = element?.shadowRoot?.querySelector('[data-testid="playback-mode"]')?.getAttribute('data-mode') ?? null;

    return {
      videoBytes: element ? (await element.receiveStats()).videoBytes : 0,
      frames: video?.getVideoPlaybackQuality().totalVideoFrames ?? 0,
      mode,
    };
  });
}

/** Waits until the watch page receives and decodes new video: 200 kB and 60 frames (two seconds at 30 fps) more than now. */
async function waitForPlayback(page: Page, what: string): Promise<void> {
  const before = await watchStats(page);

  await waitFor(
    what,
    async () => {
      const now = await watchStats(page);

      return now.mode === 'webrtc' && now.videoBytes > before.videoBytes + 200_000 && now.frames > before.frames + 60;
    },
    { timeoutMs: 30_000 },
  );
}

describe('Podium restarted with kill -9 mid-event', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-restore-'));
  let podium: SpawnedPodium;
  let rtmp: RtmpTestServer;
  let browser: Browser;
  let watch: Page;
  let speaker: Page;
  let eventId: string;
  let firstPart = '';

  beforeAll(async () => {
    expect(existsSync(mainScript), `${mainScript} missing: run npm run build first`).toBe(true);
    rtmp = await RtmpTestServer.start();
    browser = await launchChromium();
    podium = await spawnPodium(dataDir);

    const events = await podium.api('GET', '/api/events');

    await podium.api('POST', `/api/events/${events.events[0].id}/restreams`, { name: 'Owncast', url: rtmp.url, streamKey: STREAM_KEY });
    eventId = await goLiveSpawned(podium);
  });

  afterAll(async () => {
    // PODIUM_RESTORE_LOG=FILE keeps the log of the last Podium process, for a failure's diagnosis.
    if (process.env.PODIUM_RESTORE_LOG) writeFileSync(process.env.PODIUM_RESTORE_LOG, podium?.output() ?? '');
    await browser?.close();
    podium?.child.kill('SIGTERM');
    await waitFor('Podium to end', () => !isAlive(podium.child.pid!), { timeoutMs: 20_000 }).catch(() => podium.child.kill('SIGKILL'));
    await rtmp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs with a recording, a restream, a lower third and a watch page', async () => {
    const program = await waitFor('the program', async () => (await podium.api('GET', '/api/program')).program);

    expect(program.lowerThird.visible).toBe(false);
    await podium.api('POST', '/api/program/lower-third', LOWER_THIRD);
    await waitFor('the program HLS output', async () => (await podium.api('GET', '/api/state')).outputs?.hls === 'live');

    const started = await podium.api('POST', '/api/recording/start');

    firstPart = started.fileName;
    expect(firstPart).toMatch(/\.ts$/);

    watch = await browser.newPage();
    await watch.goto(`${podium.url}/watch`);
    await watch.evaluate(() => ((window as unknown as { podiumMarker: number }).podiumMarker = 1));
    await waitForPlayback(watch, 'the watch page to play');

    const listener = await TestSignaling.connect(podium.url);

    await listener.request('join', { page: 'watch' });
    expect((await listener.request('askQuestion', { text: 'Geht es nach dem Neustart weiter?' })).ok).toBe(true);
    listener.close();

    await waitFor('the restream to go live', async () => (await podium.api('GET', '/api/state')).restreams?.[0]?.state === 'live', {
      timeoutMs: 30_000,
    });
    const invite = await podium.api('POST', `/api/events/${eventId}/invites`, { role: 'speaker', label: 'Frau Fern' });

    speaker = await browser.newPage();
    await speaker.goto(`${podium.url}/join${new URL(invite.url).search}`);
    await speaker.getByTestId('speaker-media').click();
    await waitFor('the remote speaker on air', async () =>
      (await podium.api('GET', '/api/program')).program?.available.includes('remote-speaker') || undefined,
    { timeoutMs: 30_000 });
    await waitFor(
      'four seconds of recording',
      async () => (await podium.api('GET', '/api/recordings')).recordings[0].durationSeconds >= 4,
      { timeoutMs: 30_000 },
    );
  });

  it('is live again after kill -9 and a new start', async () => {
    const port = Number(new URL(podium.url).port);

    podium.child.kill('SIGKILL');
    await waitFor('Podium to end', () => !isAlive(podium.child.pid!));
    // The watch page notices the lost connection, and keeps trying the same address.
    await watch.getByText('Verbindung zu Podium unterbrochen').waitFor({ timeout: 15_000 });
    // The page finds Podium again only once the event is live again, as a page
    // whose reconnect backoff has grown to several seconds does.
    await watch.context().setOffline(true);

    podium = await spawnPodium(dataDir, { port });

    const state = await waitFor(
      'the restored event to be live',
      async () => {
        const snapshot = await podium.api('GET', '/api/state');

        if (snapshot.event?.state === 'failed') throw new Error(`restore failed: ${snapshot.event.failureReason}`);

        return snapshot.event?.state === 'live' ? snapshot : undefined;
      },
      { timeoutMs: 60_000 },
    );

    expect(state.event.id).toBe(eventId);
    expect(state.event.failureCode).toBeNull();
    await watch.context().setOffline(false);
  });

  it('restores the lower third', async () => {
    const { program } = await waitFor('the restored program', async () => {
      const body = await podium.api('GET', '/api/program');

      return body.program ? body : undefined;
    });

    expect(program.lowerThird).toEqual(LOWER_THIRD);
    expect(program.layout).toBe('camera');
  });

  it('continues the recording in a second part', async () => {
    const recording = await waitFor(
      'three seconds of the second part',
      async () => {
        const [newest] = (await podium.api('GET', '/api/recordings')).recordings;

        return newest?.parts.length === 2 && newest.parts[1].durationSeconds >= 3 ? newest : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const [first, second] = recording.parts;

    expect(recording.fileName).toBe(firstPart);
    expect(first.endReason).toBe('interrupted');
    expect(second.fileName).toBe(firstPart.replace(/\.ts$/, '_teil-2.ts'));
    expect(recording.durationSeconds).toBeCloseTo(first.durationSeconds + second.durationSeconds, 3);
    expect(recording.bytes).toBe(first.bytes + second.bytes);

    const stopped = await podium.api('POST', '/api/recording/stop');

    expect(stopped.parts).toHaveLength(2);
    expect(stopped.endReason).toBe('requested');

    const listed = (await podium.api('GET', '/api/recordings')).recordings;

    expect(listed).toHaveLength(1);
    for (const part of stopped.parts) {
      const path = join(dataDir, 'recordings', part.fileName);
      const streams = await probeStreams(path);
      const download = await fetch(`${podium.url}/api/recordings/${part.id}/file`, { headers: { Cookie: podium.cookie } });

      expect(streams.map((stream) => stream.codec_name).sort()).toEqual(['aac', 'h264']);
      // ffprobe spans the earliest to the latest timestamp of any stream, which exceeded the sum of
      // the segment durations by up to 4.6 s on a part that began with the compositor's first segment.
      expect(await probeDuration(path)).toBeGreaterThan(part.durationSeconds - 2);
      expect(await probeDuration(path)).toBeLessThan(part.durationSeconds + 8);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).length).toBe(statSync(path).size);
    }
  });

  it('lists the parts as one on the console', async () => {
    // The kiosk console; the first staff password was shown by the first start only.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });

    await page.goto(`${podium.url}/console`);
    const item = page.getByTestId('recording-item');

    await item.getByTestId('recording-parts').waitFor({ timeout: 15_000 });

    expect(await item.count()).toBe(1);
    expect(await item.getByTestId('recording-parts').textContent()).toContain('2 Teile');
    expect(await item.getByRole('link', { name: 'Teil 1' }).getAttribute('download')).toBe(firstPart);
    expect(await item.getByRole('link', { name: 'Teil 2' }).getAttribute('download')).toBe(firstPart.replace(/\.ts$/, '_teil-2.ts'));
    await page.close();
  });

  it('starts the restream again', async () => {
    await waitFor('the restream to go live again', async () => (await podium.api('GET', '/api/state')).restreams?.[0]?.state === 'live', {
      timeoutMs: 30_000,
    });
    await waitFor('a second RTMP connection', () => rtmp.recordings(STREAM_KEY).length >= 2, { timeoutMs: 15_000 });
  });

  it('keeps the questions', async () => {
    const { questions } = await podium.api('GET', `/api/events/${eventId}/questions`);

    expect(questions.map((question: { text: string }) => question.text)).toEqual(['Geht es nach dem Neustart weiter?']);
  });

  it('gets the remote speaker back without a click', async () => {
    await waitFor('the remote speaker on air again', async () =>
      (await podium.api('GET', '/api/program')).program?.available.includes('remote-speaker') || undefined,
    { timeoutMs: 60_000 });

    expect(await speaker.getByTestId('speaker-media').getAttribute('aria-pressed')).toBe('true');
  });

  it('plays on the open watch page without a reload', async () => {
    await waitForPlayback(watch, 'the watch page to play again');

    expect(await watch.evaluate(() => (window as unknown as { podiumMarker?: number }).podiumMarker)).toBe(1);
  });
});
