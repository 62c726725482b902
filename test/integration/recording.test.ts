import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMediaPlaylist } from '../../streams/hls/media-playlist.js';
import { probeDuration, probeStreams } from '../helpers/ffprobe.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

describe('recording of a live event', () => {
  let podium: TestPodium;
  let eventId: string;

  beforeAll(async () => {
    podium = await startTestPodium();
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('refuses to record without live event', async () => {
    const { status, body } = await podium.api('POST', '/api/recording/start');

    expect(status).toBe(409);
    expect(body.code).toBe('PODIUM_ERR_NOT_LIVE');
  });

  it('records on request, with a tally', async () => {
    eventId = await podium.goLive();

    const started = await podium.api('POST', '/api/recording/start');

    expect(started.status).toBe(200);
    expect(started.body.fileName).toMatch(/^\d{4}-\d{2}-\d{2}_\d{4}_testveranstaltung\.ts$/);
    expect((await podium.state()).recording?.current?.id).toBe(started.body.id);

    await waitFor('five seconds of recording', async () => {
      const { body } = await podium.api('GET', '/api/recordings');

      return body.recordings[0].durationSeconds >= 5;
    });

    const stopped = await podium.api('POST', '/api/recording/stop');

    expect(stopped.body.endReason).toBe('requested');
    expect((await podium.state()).recording?.current).toBeNull();

    const path = join(podium.dataDir, 'recordings', stopped.body.fileName);
    const streams = await probeStreams(path);

    expect(streams.map((stream) => stream.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(Math.abs((await probeDuration(path)) - stopped.body.durationSeconds)).toBeLessThan(2);
    expect(statSync(path).size).toBe(stopped.body.bytes);
  });

  it('serves the file to staff only', async () => {
    const { body } = await podium.api('GET', '/api/recordings');
    const recording = body.recordings[0];
    const anonymous = await podium.apiAs(undefined, 'GET', `/api/recordings/${recording.id}/file`);

    expect(anonymous.status).toBe(401);

    const response = await fetch(`${podium.baseUrl}/api/recordings/${recording.id}/file`, {
      headers: { Cookie: (await staffCookie(podium)) ?? '' },
    });
    const bytes = Buffer.from(await response.arrayBuffer());

    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${recording.fileName}"`);
    expect(bytes.equals(readFileSync(join(podium.dataDir, 'recordings', recording.fileName)))).toBe(true);
  });

  it('ends with the event', async () => {
    await podium.api('POST', '/api/recording/start');
    await waitFor('a recorded segment', async () => (await podium.state()).recording?.current?.bytes);
    await podium.api('POST', `/api/events/${eventId}/stop`);

    const { body } = await waitFor('the recording to end', async () => {
      const result = await podium.api('GET', '/api/recordings');

      return result.body.recordings[0].endedAt ? result : undefined;
    });

    expect(body.recordings[0].endReason).toBe('event-ended');
  });

  it('deletes a finished recording', async () => {
    const { body } = await podium.api('GET', '/api/recordings');
    const [newest] = body.recordings;
    const deleted = await podium.api('POST', `/api/recordings/${newest.id}/delete`);
    const after = await podium.api('GET', '/api/recordings');

    expect(deleted.status).toBe(200);
    expect(after.body.recordings.map((recording: { id: string }) => recording.id)).not.toContain(newest.id);
    expect((await podium.api('POST', `/api/recordings/${newest.id}/delete`)).body.code).toBe('PODIUM_ERR_RECORDING_NOT_FOUND');
  });
});

async function staffCookie(podium: TestPodium): Promise<string | undefined> {
  const login = await podium.apiAs(undefined, 'POST', '/api/login', { password: podium.staffPassword });

  return login.headers.get('set-cookie')?.split(';')[0];
}

describe('recording on a full disk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-disk-full-'));
  const recordingsDir = join(dataDir, 'recordings');
  let podium: TestPodium | undefined;

  beforeAll(() => {
    mkdirSync(recordingsDir);
    // A small file system of its own, as a nearly full disk (needs root, as CI runs).
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1536k', 'tmpfs', recordingsDir]);
  });

  afterAll(async () => {
    await podium?.close({ keepData: true });
    execFileSync('umount', [recordingsDir]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops with an alarm while HLS goes on', async () => {
    podium = await startTestPodium({}, dataDir);

    const eventId = await podium.goLive();
    const started = await podium.api('POST', '/api/recording/start');

    expect(started.status).toBe(200);

    const snapshot = await waitFor('the disk-full alarm', async () => {
      const state = await podium!.state();

      return state.recording?.alarm === 'disk-full' ? state : undefined;
    });

    expect(snapshot.recording?.current).toBeNull();
    expect(snapshot.event?.state).toBe('live');

    const playlistPath = join(dataDir, 'hls', eventId, '720p.m3u8');
    const lastSequence = () => parseMediaPlaylist(readFileSync(playlistPath, 'utf8')).segments.at(-1)?.sequence ?? -1;
    const atAlarm = lastSequence();

    await waitFor('two more HLS segments', () => lastSequence() >= atAlarm + 2);

    const { body } = await podium.api('GET', '/api/recordings');

    expect(body.recordings[0].endReason).toBe('disk-full');
    expect(body.recordings[0].bytes).toBeGreaterThan(0);

    const retry = await podium.api('POST', '/api/recording/start');

    expect(retry.body.code).toBe('PODIUM_ERR_DISK_FULL');
  });
});
