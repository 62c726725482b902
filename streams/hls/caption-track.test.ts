import { describe, expect, it } from 'vitest';
import { buildCaptionPlaylist, buildCaptionSegment } from './caption-track.js';

const START = Date.UTC(2026, 11, 5, 18, 0, 0);

describe('buildCaptionSegment', () => {
  it('maps the file time to the segment video timestamps', () => {
    const text = buildCaptionSegment(START, 1, 900_000, [{ text: 'Guten Abend', atMs: START + 250 }]);

    // Local time 0 lies 10 s before the segment: 900000 - 10 s at 90 kHz.
    expect(text).toContain('X-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000');
    expect(text).toContain('00:00:10.250 --> 00:00:14.250\nGuten Abend');
  });

  it('keeps a cue that began in an earlier segment', () => {
    const text = buildCaptionSegment(START + 2000, 1, 2_000_000, [{ text: 'noch da', atMs: START }]);

    expect(text).toContain('00:00:08.000 --> 00:00:12.000\nnoch da');
  });

  it('leaves out cues outside the segment', () => {
    const text = buildCaptionSegment(START, 1, 2_000_000, [
      { text: 'vorbei', atMs: START - 5000 },
      { text: 'später', atMs: START + 1000 },
    ]);

    expect(text).not.toContain('vorbei');
    expect(text).not.toContain('später');
  });

  it('keeps the origin at 0 early in the program', () => {
    const text = buildCaptionSegment(START, 1, 180_000, [{ text: 'früh', atMs: START + 500 }]);

    // 2 s of timestamps before the segment: the file's time 0 lies 2 s before it, at timestamp 0.
    expect(text).toContain('MPEGTS:0,LOCAL:00:00:00.000');
    expect(text).toContain('00:00:02.500 --> 00:00:06.500\nfrüh');
  });

  it('has no cues without the segment timestamp', () => {
    expect(buildCaptionSegment(START, 1, undefined, [{ text: 'x', atMs: START }])).toBe('WEBVTT\n');
  });

  it('keeps a cue text from ending its timing line', () => {
    expect(buildCaptionSegment(START, 1, 900_000, [{ text: 'a --> b', atMs: START }])).toContain('\na --&gt; b\n');
  });

  it('escapes markup in cue text', () => {
    const text = buildCaptionSegment(START, 1, 900_000, [{ text: 'a < b & c <i>kursiv</i>', atMs: START }]);

    expect(text).toContain('\na &lt; b &amp; c &lt;i&gt;kursiv&lt;/i&gt;\n');
  });

  it('overlaps cues of lines close together', () => {
    const text = buildCaptionSegment(START, 1, 900_000, [
      { text: 'eins', atMs: START },
      { text: 'zwei', atMs: START + 150 },
    ]);

    expect(text).toContain('00:00:10.000 --> 00:00:14.000\neins');
    expect(text).toContain('00:00:10.150 --> 00:00:14.150\nzwei');
  });
});

describe('buildCaptionPlaylist', () => {
  it('mirrors the video window and its discontinuities', () => {
    const text = buildCaptionPlaylist(
      [
        { sequence: 7, uri: '720p-7.ts', durationSeconds: 1, programDateTimeMs: START },
        { sequence: 8, uri: '720p-8.ts', durationSeconds: 0.5, programDateTimeMs: START + 1000, discontinuity: true },
      ],
      1,
      2,
      false,
    );

    expect(text).toContain('#EXT-X-MEDIA-SEQUENCE:7\n#EXT-X-DISCONTINUITY-SEQUENCE:2');
    expect(text).toContain('#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:2026-12-05T18:00:01.000Z\n#EXTINF:0.500000,\ncaptions-8.vtt');
    expect(text).not.toContain('#EXT-X-ENDLIST');
  });
});
