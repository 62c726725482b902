import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstVideoFrameIsKey, probeStreams } from '../helpers/ffprobe.js';
import { childPids, commandLine } from '../helpers/processes.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

function segmentsOf(playlist: string): string[] {
  return playlist.split('\n').filter((line) => line.endsWith('.ts'));
}

describe('live event with the built-in source', () => {
  let podium: TestPodium;
  let eventId: string;

  beforeAll(async () => {
    podium = await startTestPodium();
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('offers the ready test event on a fresh install', async () => {
    const { body } = await podium.api('GET', '/api/events');

    expect(body.events).toHaveLength(1);
    expect(body.events[0].state).toBe('ready');
    expect(body.events[0].title).toBe('Testveranstaltung');
    eventId = body.events[0].id;
  });

  it('start moves the event to starting, then live', async () => {
    const started = await podium.api('POST', `/api/events/${eventId}/start`);

    expect(started.status).toBe(202);
    expect(started.body.event.state).toBe('starting');

    const live = await podium.waitForState('live');

    expect(live.event?.liveSince).not.toBeNull();
    expect(live.outputs?.room).toBe('live');
  });

  it('room producers receive audio and video packets', async () => {
    const room = podium.podium.controller.room;

    expect(room).toBeDefined();

    const video = await room!.producerStats('venue-camera');
    const audio = await room!.producerStats('venue-mic');
    const later = await waitFor('more video packets', async () => {
      const stats = await room!.producerStats('venue-camera');

      return stats && stats.packetCount > (video?.packetCount ?? 0) + 100 ? stats : undefined;
    });
    const laterAudio = await room!.producerStats('venue-mic');

    expect(video?.packetCount).toBeGreaterThan(0);
    expect(audio?.packetCount).toBeGreaterThan(0);
    expect(later.byteCount).toBeGreaterThan(video!.byteCount);
    expect(laterAudio!.packetCount).toBeGreaterThan(audio!.packetCount);
  });

  it('the top rendition\'s playlist lists at least three segments', async () => {
    const playlistPath = join(podium.dataDir, 'hls', eventId, '720p.m3u8');
    const playlist = await waitFor(
      'three HLS segments',
      async () => {
        const text = await readFile(playlistPath, 'utf8').catch(() => '');

        return segmentsOf(text).length >= 3 ? text : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    expect(playlist).toContain('#EXT-X-TARGETDURATION:');
    expect(playlist).not.toContain('#EXT-X-ENDLIST');
    expect((await podium.state()).outputs?.hls).toBe('live');
  });

  it('serves playlist and segments with MIME types and cache headers', async () => {
    const playlistUrl = `${podium.baseUrl}/hls/${eventId}/720p.m3u8`;
    const playlistResponse = await fetch(playlistUrl);
    const segment = segmentsOf(await playlistResponse.text())[0];
    const segmentResponse = await fetch(`${podium.baseUrl}/hls/${eventId}/${segment}`);

    expect(playlistResponse.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(playlistResponse.headers.get('cache-control')).toContain('no-cache');
    expect(segmentResponse.status).toBe(200);
    expect(segmentResponse.headers.get('content-type')).toBe('video/mp2t');
    expect(segmentResponse.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${podium.baseUrl}/hls/${eventId}/../podium.sqlite`)).status).toBe(404);
  });

  it('ffprobe reads a segment as 1280x720 H.264 and AAC', async () => {
    const playlist = await readFile(join(podium.dataDir, 'hls', eventId, '720p.m3u8'), 'utf8');
    const segments = segmentsOf(playlist);
    const segmentUrl = `${podium.baseUrl}/hls/${eventId}/${segments[segments.length - 2]}`;
    const streams = await probeStreams(segmentUrl);
    const video = streams.find((stream) => stream.codec_type === 'video');
    const audio = streams.find((stream) => stream.codec_type === 'audio');

    expect(video?.codec_name).toBe('h264');
    expect(video?.width).toBe(1280);
    expect(video?.height).toBe(720);
    expect(video?.profile).toBe('Constrained Baseline');
    expect(video?.has_b_frames).toBe(0);
    expect(audio?.codec_name).toBe('aac');
    expect(audio?.sample_rate).toBe('48000');
    expect(await firstVideoFrameIsKey(segmentUrl)).toBe(true);
  });

  it('rejects a second start and a start of another event', async () => {
    const other = await podium.api('POST', '/api/events', {
      title: 'Lesung',
      description: '',
      startsAt: '2026-12-24T18:00:00Z',
    });
    const again = await podium.api('POST', `/api/events/${eventId}/start`);
    const second = await podium.api('POST', `/api/events/${other.body.id}/start`);

    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PODIUM_ERR_EVENT_NOT_STARTABLE');
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('PODIUM_ERR_OTHER_EVENT_RUNNING');
    expect(second.body.message).toContain(eventId);
  });

  it('stop ends the playlist and leaves no ffmpeg behind', async () => {
    const ffmpegBefore = childPids(process.pid).filter((pid) => commandLine(pid)?.includes('ffmpeg'));
    const stopped = await podium.api('POST', `/api/events/${eventId}/stop`);
    const playlists = await Promise.all(
      ['720p', '360p'].map((name) => readFile(join(podium.dataDir, 'hls', eventId, `${name}.m3u8`), 'utf8')),
    );
    const ffmpegAfter = childPids(process.pid).filter((pid) => commandLine(pid)?.includes('ffmpeg'));

    // Camera, microphone, the compositor and the stand-ins of its missing inputs.
    expect(ffmpegBefore).toHaveLength(4);
    expect(stopped.status).toBe(200);
    expect(stopped.body.event.state).toBe('ended');
    for (const playlist of playlists) expect(playlist.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(ffmpegAfter).toEqual([]);
    expect(podium.podium.supervisor.running()).toEqual([]);
  });

  it('an ended event cannot start, the next one can', async () => {
    const again = await podium.api('POST', `/api/events/${eventId}/start`);
    const { body } = await podium.api('GET', '/api/events');
    const next = body.events.find((event: { title: string }) => event.title === 'Lesung');
    const started = await podium.api('POST', `/api/events/${next.id}/start`);

    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PODIUM_ERR_EVENT_NOT_STARTABLE');
    expect(started.status).toBe(202);
    await podium.waitForState('live');
    expect((await podium.api('POST', `/api/events/${next.id}/stop`)).body.event.state).toBe('ended');
  });
});
