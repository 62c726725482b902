import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingRouter } from '../../appliance/sfu/meeting-router.js';
import { RecordingStore } from '../../appliance/store/recording-store.js';
import { Store } from '../../appliance/store/store.js';
import { decodeSamples, toneAmplitude } from '../helpers/audio-samples.js';
import { probeDuration, probeStreams } from '../helpers/ffprobe.js';
import { colorAt, colorName, decodeFirstFrame } from '../helpers/frames.js';
import { publishMeetingCamera, publishMeetingTone, type MeetingSource } from '../helpers/meeting-sources.js';
import { TestSignaling } from '../helpers/signaling-client.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/** Returns the newest meeting snapshot a connection received. */
function lastSnapshot(signaling: TestSignaling): any {
  return signaling.messages.filter((message) => message.type === 'meeting').at(-1)?.data;
}

describe('meeting broadcast and recording', () => {
  let podium: TestPodium;
  let meetingId: string;
  let router: MeetingRouter;
  const pages: TestSignaling[] = [];
  const peerIds: string[] = [];
  const sources: MeetingSource[] = [];

  async function joinMeeting(name: string, extra: object = {}): Promise<void> {
    const signaling = await TestSignaling.connect(podium.baseUrl, undefined, undefined, '/meetings/signaling');
    const response = await signaling.request('join', { meetingId, name, participantKey: randomBytes(16).toString('hex'), ...extra });

    expect(response.error, JSON.stringify(response.error)).toBeUndefined();
    pages.push(signaling);
    peerIds.push(response.data.snapshot.self.peerId);
  }

  /** Fetches the media playlist of the broadcast's top (here only) rendition, and its segments' URLs. */
  async function mediaPlaylist(hlsUrl: string): Promise<{ status: number; segments: string[] }> {
    const response = await fetch(`${podium.baseUrl}${hlsUrl.replace('index.m3u8', '360p.m3u8')}`);
    const text = await response.text();
    const base = `${podium.baseUrl}${hlsUrl.replace('index.m3u8', '')}`;

    return { status: response.status, segments: text.split('\n').filter((line) => line.endsWith('.ts')).map((name) => base + name) };
  }

  beforeAll(async () => {
    // A 360p program at 15 fps keeps the compositor cheap: one rendition, 360p.
    // Two workers: the meeting's router goes to worker 1, so that killing worker 0 hits only the program's room.
    podium = await startTestPodium({ venue: { video: { width: 640, height: 360, fps: 15 } }, sfu: { workers: 2 } });
    const meeting = (await podium.api('POST', '/api/meetings', { name: 'Lesekreis Broadcast' })).body;

    meetingId = meeting.id;
    // Anna moderates; Ben is a guest.
    await joinMeeting('Anna', { moderatorKey: new URL(meeting.moderatorLink, podium.baseUrl).searchParams.get('moderator') });
    await joinMeeting('Ben');

    const session = podium.podium.meetings.sessionOf(meetingId)!;

    await session.routerCapabilities();
    router = await session.currentRouter()!;
    sources.push(await publishMeetingCamera(router, peerIds[0]!, { low: 'blue', high: 'red' }));
    sources.push(await publishMeetingTone(router, peerIds[0]!, 440));
    sources.push(await publishMeetingTone(router, peerIds[1]!, 660));
  });

  afterAll(async () => {
    for (const source of sources) await source.stop();
    for (const page of pages) page.close();
    await podium?.close();
  });

  it('routes staff-only, HLS not found', async () => {
    const guestBroadcast = await podium.apiAs(undefined, 'POST', `/api/meetings/${meetingId}/broadcast`, { hls: true });
    const guestRecording = await podium.apiAs(undefined, 'POST', `/api/meetings/${meetingId}/recording`, { recording: true });
    const invalid = await podium.api('POST', `/api/meetings/${meetingId}/broadcast`, { hls: 'yes' });
    const unknown = await podium.api('POST', '/api/meetings/nope/broadcast', { hls: true });
    const hls = await fetch(`${podium.baseUrl}/hls/${randomUUID()}/index.m3u8`);

    expect(guestBroadcast.status).toBe(401);
    expect(guestRecording.status).toBe(401);
    expect(invalid.status).toBe(400);
    expect(unknown.body.code).toBe('PODIUM_ERR_MEETING_NOT_FOUND');
    expect(hls.status).toBe(404);
    expect(podium.podium.meetings.broadcastOf(meetingId)).toBeUndefined();
  });

  it('empty meeting cannot stream', async () => {
    const empty = (await podium.api('POST', '/api/meetings', { name: 'Leer' })).body;
    const response = await podium.api('POST', `/api/meetings/${empty.id}/broadcast`, { hls: true });

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('PODIUM_ERR_MEETING_EMPTY');
  });

  let hlsUrl: string;

  it('HLS carries camera, voices and tally', async () => {
    const response = await podium.api('POST', `/api/meetings/${meetingId}/broadcast`, { hls: true });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ streaming: true, recording: false });
    expect(response.body.hlsUrl).toMatch(/^\/hls\/[0-9a-f-]{36}\/index\.m3u8$/);
    hlsUrl = response.body.hlsUrl;
    for (const page of pages) {
      await waitFor('the streaming tally', () => lastSnapshot(page)?.streaming === true);
      expect(lastSnapshot(page).recording).toBe(false);
    }

    const segments = await waitFor('three segments of the broadcast', async () => {
      const playlist = await mediaPlaylist(hlsUrl);

      return playlist.status === 200 && playlist.segments.length >= 3 ? playlist.segments : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500 });

    expect((await fetch(`${podium.baseUrl}${hlsUrl}`)).status).toBe(200);

    const streams = await probeStreams(segments.at(-1)!);

    expect(streams.map((stream) => stream.codec_type).sort()).toEqual(['audio', 'video']);

    // The camera is on air once its first keyframe arrived; the stand-in before it is black.
    // Red is the high simulcast layer (blue the low one): the program gets the high layer.
    await waitFor('the red camera in the picture', async () => {
      const newest = (await mediaPlaylist(hlsUrl)).segments.at(-1)!;
      const color = colorName(colorAt(await decodeFirstFrame(newest), 0.5, 0.5));

      if (color !== 'red') throw new Error(`the picture's middle is ${color}`);

      return true;
    }, { timeoutMs: 30_000, intervalMs: 500 });

    await waitFor('both voices in the sound', async () => {
      const newest = (await mediaPlaylist(hlsUrl)).segments.slice(-2);
      const decoded = await Promise.all(newest.map((url) => decodeSamples(url)));
      const samples = new Float32Array(decoded.reduce((length, part) => length + part.length, 0));

      decoded.reduce((offset, part) => (samples.set(part, offset), offset + part.length), 0);

      const levels = [toneAmplitude(samples, 440), toneAmplitude(samples, 660)];

      if (levels.some((level) => level < 0.02)) throw new Error(`440 Hz at ${levels[0]!.toFixed(3)}, 660 Hz at ${levels[1]!.toFixed(3)}`);

      return true;
    }, { timeoutMs: 30_000, intervalMs: 500 });
  });

  it('program survives worker 0 death', async () => {
    const sfu = podium.podium.sfu;
    const killedPid = sfu.workerPids[0]!;
    const before = new Set((await mediaPlaylist(hlsUrl)).segments);

    expect(router.workerIndex).toBe(1);
    process.kill(killedPid, 'SIGKILL');
    await waitFor('a new worker 0', () => sfu.workerPids[0] !== undefined && sfu.workerPids[0] !== killedPid);
    await waitFor('the red camera after the rebuild', async () => {
      const fresh = (await mediaPlaylist(hlsUrl)).segments.filter((url) => !before.has(url));

      if (fresh.length < 2) throw new Error(`${fresh.length} new segments`);

      const color = colorName(colorAt(await decodeFirstFrame(fresh.at(-1)!), 0.5, 0.5));

      if (color !== 'red') throw new Error(`the picture's middle is ${color}`);

      return true;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    expect(router.closed).toBe(false);
    expect(lastSnapshot(pages[0]!).streaming).toBe(true);
  });

  it('guest cannot start the recording', async () => {
    const response = await pages[1]!.request('setRecording', { on: true });

    expect(response.error?.code).toBe('PODIUM_ERR_MEETING_NOT_MODERATOR');
    expect(podium.podium.meetings.broadcastOf(meetingId)?.recording).toBe(false);
  });

  it('recording file grows and plays', async () => {
    const response = await podium.api('POST', `/api/meetings/${meetingId}/recording`, { recording: true });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ streaming: true, recording: true });
    await waitFor('the recording tally', () => lastSnapshot(pages[1]!)?.recording === true);

    const recording = await waitFor('the meeting recording in the list', async () => {
      const list = (await podium.api('GET', '/api/recordings')).body.recordings as any[];

      return list.find((entry) => entry.meetingId === meetingId && entry.bytes > 0);
    }, { timeoutMs: 30_000, intervalMs: 500 });
    const path = join(podium.dataDir, 'recordings', recording.fileName);
    const firstSize = (await stat(path)).size;

    expect(recording.eventId).toBeNull();
    expect(recording.fileName).toMatch(/lesekreis-broadcast/i);
    await waitFor('the recording to grow', async () => (await stat(path)).size > firstSize, { timeoutMs: 20_000, intervalMs: 500 });

    const streams = await probeStreams(path);

    expect(streams.map((stream) => stream.codec_type).sort()).toEqual(['audio', 'video']);
    expect(await probeDuration(path)).toBeGreaterThan(1);
  });

  it('HLS stop keeps the recording', async () => {
    const response = await podium.api('POST', `/api/meetings/${meetingId}/broadcast`, { hls: false });

    expect(response.body).toMatchObject({ streaming: false, recording: true, hlsUrl: null });
    expect((await fetch(`${podium.baseUrl}${hlsUrl}`)).status).toBe(404);
    await waitFor('the streaming tally off', () => lastSnapshot(pages[0]!)?.streaming === false);
    expect(lastSnapshot(pages[0]!).recording).toBe(true);
    expect(podium.podium.meetings.broadcastOf(meetingId)?.programState).toBeDefined();
  });

  it('recording stop ends the program', async () => {
    const recordingId = await podium.podium.meetings.broadcastOf(meetingId)!.recordingId();
    const response = await podium.api('POST', `/api/meetings/${meetingId}/recording`, { recording: false });

    expect(response.body).toMatchObject({ streaming: false, recording: false, hlsUrl: null });
    expect(podium.podium.meetings.broadcastOf(meetingId)).toBeUndefined();
    await waitFor('the recording tally off', () => lastSnapshot(pages[1]!)?.recording === false);

    const list = (await podium.api('GET', '/api/recordings')).body.recordings as any[];
    const recording = list.find((entry) => entry.id === recordingId);

    expect(recording?.endReason).toBe('requested');
    expect(existsSync(join(podium.dataDir, 'hls', hlsUrl.split('/')[2]!))).toBe(false);

    const download = await podium.api('GET', `/api/recordings/${recordingId}/file`);

    expect(download.status).toBe(200);
  });

  it('empty meeting stops both outputs', async () => {
    await podium.api('POST', `/api/meetings/${meetingId}/broadcast`, { hls: true });
    const started = await pages[0]!.request('setRecording', { on: true });

    expect(started.error, JSON.stringify(started.error)).toBeUndefined();

    const broadcast = podium.podium.meetings.broadcastOf(meetingId)!;
    const recordingId = await waitFor('the second recording', () => broadcast.recordingId(), { timeoutMs: 60_000, intervalMs: 500 });

    for (const page of pages) page.close();
    await waitFor('the broadcast to stop', () => podium.podium.meetings.broadcastOf(meetingId) === undefined);
    await waitFor('the recording to end', async () => {
      const list = (await podium.api('GET', '/api/recordings')).body.recordings as any[];

      return list.find((entry) => entry.id === recordingId)?.endedAt;
    }, { timeoutMs: 15_000, intervalMs: 300 });
    expect((await fetch(`${podium.baseUrl}${broadcast.hlsUrl ?? `/hls/${broadcast.id}/index.m3u8`}`)).status).toBe(404);

    const info = ((await podium.api('GET', '/api/meetings')).body as any[]).find((entry) => entry.id === meetingId);

    expect(info).toMatchObject({ streaming: false, recording: false, hlsUrl: null });
  });

  it('Podium stop interrupts the recording', async () => {
    await joinMeeting('Clara');
    await podium.api('POST', `/api/meetings/${meetingId}/recording`, { recording: true });

    const broadcast = podium.podium.meetings.broadcastOf(meetingId)!;
    const recordingId = await waitFor('the third recording', () => broadcast.recordingId(), { timeoutMs: 60_000, intervalMs: 500 });

    await podium.close({ keepData: true });

    const store = new Store(join(podium.dataDir, 'podium.sqlite'));
    const part = new RecordingStore(store.database).get(recordingId!);

    store.close();
    expect(part?.endReason).toBe('interrupted');
    expect(part?.meetingId).toBe(meetingId);
  });
});
