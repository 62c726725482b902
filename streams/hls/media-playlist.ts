/**
 * One segment of a live HLS media playlist, with its media sequence number,
 * its EXT-X-PROGRAM-DATE-TIME (ms, where the playlist has one) and whether
 * a discontinuity tag precedes it.
 */
export type PlaylistSegment = {
  sequence: number;
  uri: string;
  durationSeconds: number;
  programDateTimeMs?: number;
  discontinuity?: boolean;
};

export type MediaPlaylist = {
  segments: PlaylistSegment[];
  ended: boolean;
  targetDurationSeconds?: number;
  discontinuitySequence?: number;
};

/**
 * Parses the parts of an HLS media playlist that the recorder needs: the
 * segments with their sequence numbers and durations, and whether the
 * playlist has ended. Tags it does not know are skipped.
 */
export function parseMediaPlaylist(text: string): MediaPlaylist {
  const segments: PlaylistSegment[] = [];
  let sequence = 0;
  let duration: number | undefined;
  let ended = false;
  let programDateTimeMs: number | undefined;
  let discontinuity = false;
  let targetDurationSeconds: number | undefined;
  let discontinuitySequence: number | undefined;

  for (const raw of text.split('\n')) {
    const line = raw.trim();

    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) {
      sequence = Number.parseInt(line.slice('#EXT-X-MEDIA-SEQUENCE:'.length), 10) || 0;
    } else if (line.startsWith('#EXTINF:')) {
      duration = Number.parseFloat(line.slice('#EXTINF:'.length));
    } else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      const ms = Date.parse(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));

      programDateTimeMs = Number.isFinite(ms) ? ms : undefined;
    } else if (line.startsWith('#EXT-X-TARGETDURATION:')) {
      targetDurationSeconds = Number.parseInt(line.slice('#EXT-X-TARGETDURATION:'.length), 10) || undefined;
    } else if (line.startsWith('#EXT-X-DISCONTINUITY-SEQUENCE:')) {
      discontinuitySequence = Number.parseInt(line.slice('#EXT-X-DISCONTINUITY-SEQUENCE:'.length), 10) || 0;
    } else if (line === '#EXT-X-DISCONTINUITY') {
      discontinuity = true;
    } else if (line === '#EXT-X-ENDLIST') {
      ended = true;
    } else if (line !== '' && !line.startsWith('#') && duration !== undefined) {
      segments.push({
        sequence,
        uri: line,
        durationSeconds: Number.isFinite(duration) ? duration : 0,
        ...(programDateTimeMs === undefined ? {} : { programDateTimeMs }),
        ...(discontinuity ? { discontinuity } : {}),
      });
      sequence += 1;
      duration = undefined;
      programDateTimeMs = undefined;
      discontinuity = false;
    }
  }

  return {
    segments,
    ended,
    ...(targetDurationSeconds === undefined ? {} : { targetDurationSeconds }),
    ...(discontinuitySequence === undefined ? {} : { discontinuitySequence }),
  };
}
