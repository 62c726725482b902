import { h264Level, h264LevelHex } from '../../capture/venue-source-args.js';
import { CAPTIONS_PLAYLIST_NAME, mediaPlaylistName } from '../hls/hls-files.js';
import type { Rendition } from './renditions.js';

/** Share of the stream that MPEG-TS and PES headers add to the encoded bitrates. */
const CONTAINER_OVERHEAD = 1.15;

/**
 * Returns the CODECS value of a rendition: H.264 as x264 writes Baseline (profile
 * 66 with constraint_set0 and constraint_set1, which is Constrained
 * Baseline) at the rendition's level, and AAC-LC.
 */
export function renditionCodecs(rendition: Rendition, fps: number): string {
  return `avc1.42c0${h264LevelHex(h264Level(rendition.width, rendition.height, fps))},mp4a.40.2`;
}

/** The rendition group of the live captions, which every variant names. */
const CAPTIONS_GROUP = 'captions';

/**
 * Builds the multivariant playlist: one EXT-X-STREAM-INF per rendition with
 * BANDWIDTH, AVERAGE-BANDWIDTH, RESOLUTION, FRAME-RATE and CODECS, as strict
 * players such as Safari require, and the live captions as a WebVTT
 * subtitle rendition (German, the captioners' language) that players offer
 * but do not show by default. The largest rendition comes first, which
 * hls.js and Safari start with where the bandwidth allows.
 */
export function buildMultivariantPlaylist(renditions: Rendition[], fps: number, audioKbps: number): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="${CAPTIONS_GROUP}",NAME="Untertitel",LANGUAGE="de",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="${CAPTIONS_PLAYLIST_NAME}"`,
  ];

  for (const rendition of renditions) {
    const average = (rendition.videoKbps + audioKbps) * 1000;
    const attributes = [
      `BANDWIDTH=${Math.round(average * CONTAINER_OVERHEAD)}`,
      `AVERAGE-BANDWIDTH=${average}`,
      `RESOLUTION=${rendition.width}x${rendition.height}`,
      `FRAME-RATE=${fps.toFixed(3)}`,
      `CODECS="${renditionCodecs(rendition, fps)}"`,
      `SUBTITLES="${CAPTIONS_GROUP}"`,
    ];

    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, mediaPlaylistName(rendition));
  }

  return `${lines.join('\n')}\n`;
}
