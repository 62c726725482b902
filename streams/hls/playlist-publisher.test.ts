import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlaylistPublisher } from './playlist-publisher.js';

function playlist(first: number, count: number, discontinuityAt: number[] = []): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-TARGETDURATION:1', `#EXT-X-MEDIA-SEQUENCE:${first}`];

  for (let sequence = first; sequence < first + count; sequence++) {
    if (discontinuityAt.includes(sequence)) lines.push('#EXT-X-DISCONTINUITY');
    lines.push('#EXTINF:1.000000,', `720p-${String(sequence).padStart(6, '0')}.ts`);
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
    expect(await published()).toContain('#EXT-X-DISCONTINUITY\n#EXTINF:1.000000,\n720p-000004.ts');

    writeFileSync(source(), playlist(5, 3));
    expect(await publisher.publish()).toBe(true);
    expect(await published()).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:1\n');
  });

  it('writes only when ffmpeg\'s playlist changed', async () => {
    writeFileSync(source(), playlist(0, 2));
    expect(await publisher.publish()).toBe(true);
    expect(await publisher.publish()).toBe(false);
  });
});
