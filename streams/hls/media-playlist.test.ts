import { describe, expect, it } from 'vitest';
import { parseMediaPlaylist } from './media-playlist.js';

// The shape ffmpeg 5.1's hls muxer writes with program_date_time and independent_segments.
const LIVE = `#EXTM3U
#EXT-X-VERSION:6
#EXT-X-TARGETDURATION:1
#EXT-X-MEDIA-SEQUENCE:41
#EXT-X-INDEPENDENT-SEGMENTS
#EXTINF:1.000000,
#EXT-X-PROGRAM-DATE-TIME:2026-12-04T19:20:01.000+0000
segment-000041.ts
#EXTINF:0.966667,
#EXT-X-PROGRAM-DATE-TIME:2026-12-04T19:20:02.000+0000
segment-000042.ts
`;

describe('parseMediaPlaylist', () => {
  it('numbers segments from media sequence', () => {
    const { segments } = parseMediaPlaylist(LIVE);

    expect(segments).toEqual([
      { sequence: 41, uri: 'segment-000041.ts', durationSeconds: 1, programDateTimeMs: Date.UTC(2026, 11, 4, 19, 20, 1) },
      { sequence: 42, uri: 'segment-000042.ts', durationSeconds: 0.966667, programDateTimeMs: Date.UTC(2026, 11, 4, 19, 20, 2) },
    ]);
  });

  it('reads discontinuities and the target duration', () => {
    const text = LIVE.replace('#EXT-X-MEDIA-SEQUENCE:41', '#EXT-X-MEDIA-SEQUENCE:41\n#EXT-X-DISCONTINUITY-SEQUENCE:3').replace(
      '#EXTINF:0.966667,',
      '#EXT-X-DISCONTINUITY\n#EXTINF:0.966667,',
    );
    const playlist = parseMediaPlaylist(text);

    expect(playlist.targetDurationSeconds).toBe(1);
    expect(playlist.discontinuitySequence).toBe(3);
    expect(playlist.segments.map((segment) => segment.discontinuity ?? false)).toEqual([false, true]);
  });

  it('sees the end of a playlist', () => {
    expect(parseMediaPlaylist(LIVE).ended).toBe(false);
    expect(parseMediaPlaylist(`${LIVE}#EXT-X-ENDLIST\n`).ended).toBe(true);
  });

  it('starts at 0 without media sequence', () => {
    const { segments } = parseMediaPlaylist('#EXTM3U\n#EXTINF:1.0,\na.ts\n');

    expect(segments[0]?.sequence).toBe(0);
  });

  it('skips URIs without EXTINF', () => {
    expect(parseMediaPlaylist('#EXTM3U\nstray.ts\n').segments).toEqual([]);
  });
});
