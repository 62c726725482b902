/** Segment length of the HLS restream, in seconds; the program has a keyframe at every second. */
export const HLS_SEGMENT_SECONDS = 1;

/** The multivariant playlist players open: /hls/<event id>/index.m3u8. */
export const HLS_PLAYLIST_NAME = 'index.m3u8';

/** Returns the name of one rendition's media playlist, which players and the recording read. */
export function mediaPlaylistName(rendition: { name: string }): string {
  return `${rendition.name}.m3u8`;
}

/** Returns the name of the playlist ffmpeg writes for a rendition, which Podium publishes as mediaPlaylistName. */
export function encoderPlaylistName(rendition: { name: string }): string {
  return `${rendition.name}-encoder.m3u8`;
}

/** The subtitle playlist of the live captions, a rendition group of the multivariant playlist. */
export const CAPTIONS_PLAYLIST_NAME = 'captions.m3u8';

/** Returns the name of the caption file that belongs to the video segment with this sequence number. */
export function captionSegmentName(sequence: number): string {
  return `captions-${sequence}.vtt`;
}
