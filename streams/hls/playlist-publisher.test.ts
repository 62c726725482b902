import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlaylistPublisher } from './playlist-publisher.js';

const DATED_FROM = Date.parse('2026-12-04T20:00:10.000Z');

function playlist(first: number, count: number, discontinuityAt: number[] = [], datedFrom = DATED_FROM): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-TARGETDURATION:1', `#EXT-X-MEDIA-SEQUENCE:${first}`];

  for (let sequence = first; sequence < first + count; sequence++) {
    if (discontinuityAt.includes(sequence)) lines.push('#EXT-X-DISCONTINUITY');
    lines.push('#EXTINF:1.000000,', `#EXT-X-PROGRAM-DATE-TIME:${new Date(datedFrom + (sequence - first) * 1000).toISOString()}`);
    lines.push(`720p-${String(sequence).padStart(6, '0')}.ts`);
  }

  return `${lines.join('\n')}\n`;
}

describe('playlist publisher', () => {
  let dir: string;
  let publisher: PlaylistPublisher;
  const source = () => join(dir, '720p-encoder.m3u8');
  const published = () => readFile(join(dir, '720p.m3u8'), 'utf8');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podium-publisher-'));
    publisher = new PlaylistPublisher(source(), join(dir, '720p.m3u8'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('publishes nothing before ffmpeg wrote a playlist', async () => {
    expect(await publisher.publish()).toBe(false);
    expect(publisher.hasSegments).toBe(false);
    expect(publisher.newestSequence).toBe(-1);
  });

  it('drops the tag before the very first segment', async () => {
    writeFileSync(source(), playlist(0, 3, [0]));
    await publisher.publish();

    const text = await published();

    expect(text).not.toContain('#EXT-X-DISCONTINUITY\n');
    expect(text).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:0');
    expect(publisher.hasSegments).toBe(true);
  });

  it('counts a discontinuity once it has left the window', async () => {
    writeFileSync(source(), playlist(0, 3, [0]));
    await publisher.publish();
    writeFileSync(source(), playlist(2, 3, [0, 4]));
    await publisher.publish();

    expect(await published()).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:0\n');
    expect(await published()).toMatch(/#EXT-X-DISCONTINUITY\n#EXTINF:1.000000,\n#EXT-X-PROGRAM-DATE-TIME:[^\n]+\n720p-000004\.ts/);

    writeFileSync(source(), playlist(5, 3));
    expect(await publisher.publish()).toBe(true);
    expect(publisher.newestSequence).toBe(7);
    expect(await published()).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:1\n');
  });

  it('dates each run from its content start', async () => {
    // The first run's content starts 2.5 s before ffmpeg's first date-time.
    publisher.markRunStart(DATED_FROM - 2500);
    writeFileSync(source(), playlist(0, 2));
    await publisher.publish();
    expect(await published()).toContain('#EXT-X-PROGRAM-DATE-TIME:2026-12-04T20:00:07.500Z\n720p-000000.ts');

    // A restart: its first segment (after the tag) is dated 4 s after its start.
    publisher.markRunStart(Date.parse('2026-12-04T20:01:00.000Z'));
    writeFileSync(source(), playlist(0, 3, [2], DATED_FROM).replace(
      /(#EXT-X-PROGRAM-DATE-TIME:)[^\n]+(\n720p-000002)/,
      '$12026-12-04T20:01:04.000Z$2',
    ));
    await publisher.publish();

    const text = await published();

    expect(text).toContain('2026-12-04T20:00:08.500Z');
    expect(text).toMatch(/2026-12-04T20:01:00.000Z\n720p-000002\.ts/);
  });

  it('writes only when ffmpeg\'s playlist changed', async () => {
    writeFileSync(source(), playlist(0, 2));
    expect(await publisher.publish()).toBe(true);
    expect(await publisher.publish()).toBe(false);
  });
});
