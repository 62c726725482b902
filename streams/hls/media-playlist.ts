/** One segment of a live HLS media playlist, with its media sequence number. */
export type PlaylistSegment = { sequence: number; uri: string; durationSeconds: number };

export type MediaPlaylist = { segments: PlaylistSegment[]; ended: boolean };

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

  for (const raw of text.split('\n')) {
    const line = raw.trim();

    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) {
      sequence = Number.parseInt(line.slice('#EXT-X-MEDIA-SEQUENCE:'.length), 10) || 0;
    } else if (line.startsWith('#EXTINF:')) {
      duration = Number.parseFloat(line.slice('#EXTINF:'.length));
    } else if (line === '#EXT-X-ENDLIST') {
      ended = true;
    } else if (line !== '' && !line.startsWith('#') && duration !== undefined) {
      segments.push({ sequence, uri: line, durationSeconds: Number.isFinite(duration) ? duration : 0 });
      sequence += 1;
      duration = undefined;
    }
  }

  return { segments, ended };
}
