import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMediaPlaylist } from '../../streams/hls/media-playlist.js';
import { RtmpTestServer } from '../helpers/rtmp-server.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

const run = promisify(execFile);

const PLAIN_KEY = 'plain-4f9c2e7a1b';
const TLS_KEY = 'tls-8d3b6a0c55';

type Packet = { type: 'video' | 'audio'; time: number; key: boolean };

/** Reads the packets of a recorded FLV file with ffprobe. */
async function packets(path: string): Promise<Packet[]> {
  const { stdout } = await run(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'packet=codec_type,pts_time,flags', '-of', 'csv=p=0', path],
    { timeout: 20_000, maxBuffer: 16 * 1024 * 1024 },
  );

  return stdout
    .trim()
    .split('\n')
    .map((line) => line.split(','))
    .filter(([, time]) => time !== undefined && time !== 'N/A')
    .map(([type, time, flags]) => ({ type: type as Packet['type'], time: Number(time), key: (flags ?? '').startsWith('K') }));
}

/** Returns the largest step between consecutive times. */
function largestGap(times: number[]): number {
  return times.slice(1).reduce((largest, time, index) => Math.max(largest, time - times[index]!), 0);
}

describe('restream to RTMP and RTMPS targets', () => {
  let server: RtmpTestServer;
  let podium: TestPodium;
  let eventId: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    server = await RtmpTestServer.start();
    await server.startTls();
    podium = await startTestPodium({}, undefined, logLines);
    eventId = (await podium.api('GET', '/api/events')).body.events[0].id;
  });

  afterAll(async () => {
    await podium?.close();
    await server?.close();
  });

  it.each([
    ['http://example.org/live', 'abc', 'rtmp:// or rtmps://'],
    ['rtmp://user:secret@127.0.0.1/live', 'abc', 'no user name or password'],
    ['rtmp://127.0.0.1/live', 'two words', 'without spaces'],
    ['not an address', 'abc', 'is not an address'],
  ])('rejects target %s', async (url, streamKey, message) => {
    const { status, body } = await podium.api('POST', `/api/events/${eventId}/restreams`, { name: 'Test', url, streamKey });

    expect(status).toBe(400);
    expect(body.message).toContain(message);
  });

  it('shows only the end of a key', async () => {
    const plain = await podium.api('POST', `/api/events/${eventId}/restreams`, {
      name: 'PeerTube',
      url: server.url,
      streamKey: PLAIN_KEY,
    });

    await podium.api('POST', `/api/events/${eventId}/restreams`, { name: 'YouTube', url: server.rtmpsUrl, streamKey: TLS_KEY });

    const { body } = await podium.api('GET', `/api/events/${eventId}/restreams`);

    expect(plain.body.keyHint).toBe('…7a1b');
    expect(body.targets.map((target: { name: string }) => target.name)).toEqual(['PeerTube', 'YouTube']);
    expect(JSON.stringify(body)).not.toContain(PLAIN_KEY);
    expect(JSON.stringify(body)).not.toContain(TLS_KEY);
  });

  it('sends keyframes every 2 s and continuous AAC', async () => {
    await podium.goLive();
    await waitFor('both restreams live', async () => {
      const restreams = (await podium.state()).restreams ?? [];

      return restreams.length === 2 && restreams.every((restream) => restream.state === 'live');
    });

    for (const key of [PLAIN_KEY, TLS_KEY]) {
      const received = await waitFor(`6 s of stream at ${key}`, async () => {
        const [file] = server.recordings(key);
        const list = file ? await packets(file) : [];

        return (list.filter((packet) => packet.type === 'video').at(-1)?.time ?? 0) >= 6 ? list : undefined;
      });
      const keyframes = received.filter((packet) => packet.type === 'video' && packet.key).map((packet) => packet.time);
      const audio = received.filter((packet) => packet.type === 'audio').map((packet) => packet.time);

      expect(keyframes.length).toBeGreaterThanOrEqual(3);
      expect(largestGap(keyframes)).toBeLessThanOrEqual(2);
      expect(audio.length).toBeGreaterThan(100);
      expect(largestGap(audio)).toBeLessThan(0.1);
    }
  });

  it('reconnects while HLS and recording go on', async () => {
    const playlistPath = join(podium.dataDir, 'hls', eventId, '720p.m3u8');
    const lastSegment = () => parseMediaPlaylist(readFileSync(playlistPath, 'utf8')).segments.at(-1)?.sequence ?? -1;

    await podium.api('POST', '/api/recording/start');
    await server.stopNginx();
    await waitFor('the plain restream to fail', async () => {
      const plain = (await podium.state()).restreams?.find((restream) => restream.name === 'PeerTube');

      return plain?.state === 'failed' && plain.reason !== null;
    });

    const segmentAtDrop = lastSegment();
    const recordedAtDrop = (await podium.state()).recording?.current?.bytes ?? 0;

    await waitFor('two more HLS segments', () => lastSegment() >= segmentAtDrop + 2);
    await waitFor('more recorded bytes', async () => ((await podium.state()).recording?.current?.bytes ?? 0) > recordedAtDrop);
    await server.startNginx();
    await waitFor(
      'both restreams live again',
      async () => (await podium.state()).restreams?.every((restream) => restream.state === 'live'),
      { timeoutMs: 45_000 },
    );
    await waitFor('a second recorded connection', () => server.recordings(PLAIN_KEY).length >= 2);

    expect((await podium.state()).event?.state).toBe('live');
    expect((await podium.api('POST', '/api/recording/stop')).body.endReason).toBe('requested');
  });

  it('never logs a stream key', () => {
    expect(logLines.length).toBeGreaterThan(50);
    expect(logLines.filter((line) => line.includes(PLAIN_KEY) || line.includes(TLS_KEY))).toEqual([]);
  });
});
