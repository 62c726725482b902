import { Parser } from 'm3u8-parser';
import { describe, expect, it } from 'vitest';
import { buildMultivariantPlaylist } from './multivariant-playlist.js';
import { renditionsFor } from './renditions.js';

function parse(text: string) {
  const parser = new Parser();

  parser.push(text);
  parser.end();

  return parser.manifest.playlists ?? [];
}

describe('multivariant playlist', () => {
  it('lists every rendition with CODECS, RESOLUTION and BANDWIDTH', () => {
    const variants = parse(buildMultivariantPlaylist(renditionsFor(1920, 1080, 4500), 30, 128));

    expect(variants.map((variant) => variant.uri)).toEqual(['1080p.m3u8', '720p.m3u8', '360p.m3u8']);
    expect(variants.map((variant) => variant.attributes.CODECS)).toEqual([
      'avc1.42c028,mp4a.40.2',
      'avc1.42c01f,mp4a.40.2',
      'avc1.42c01f,mp4a.40.2',
    ]);
    expect(variants.map((variant) => variant.attributes.RESOLUTION)).toEqual([
      { width: 1920, height: 1080 },
      { width: 1280, height: 720 },
      { width: 640, height: 360 },
    ]);
    expect(variants[1]!.attributes.BANDWIDTH).toBe(Math.round((2500 + 128) * 1000 * 1.15));
  });
});
