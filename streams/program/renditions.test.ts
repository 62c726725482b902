import { describe, expect, it } from 'vitest';
import { renditionsFor } from './renditions.js';

describe('renditions', () => {
  it('are 720p and 360p for a 720p program', () => {
    expect(renditionsFor(1280, 720, 2500)).toEqual([
      { name: '720p', width: 1280, height: 720, videoKbps: 2500 },
      { name: '360p', width: 640, height: 360, videoKbps: 700 },
    ]);
  });

  it('add 1080p only for a 1080p program', () => {
    expect(renditionsFor(1920, 1080, 4500).map((rendition) => rendition.name)).toEqual(['1080p', '720p', '360p']);
  });

  it('give a 1080p program more bitrate than its 720p variant', () => {
    const [full, hd] = renditionsFor(1920, 1080, 2500);

    expect(full!.videoKbps).toBe(4500);
    expect(hd!.videoKbps).toBe(2500);
  });

  it('never exceed the program', () => {
    expect(renditionsFor(320, 180, 300)).toEqual([{ name: '180p', width: 320, height: 180, videoKbps: 300 }]);
  });
});
