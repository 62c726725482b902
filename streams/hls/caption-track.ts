import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CAPTION_DISPLAY_MS, captionCues, escapeCueText, type TimedCaption } from '../../appliance/captions/caption-timing.js';
import type { Logger } from '../../appliance/log.js';
import { CAPTIONS_PLAYLIST_NAME, captionSegmentName } from './hls-files.js';
import { parseMediaPlaylist, type PlaylistSegment } from './media-playlist.js';
import { segmentStartPts } from './segment-start-pts.js';

export { CAPTION_DISPLAY_MS, captionCues, type TimedCaption };

/**
 * How far before its segment each caption file's own time 0 lies. A caption
 * that began in an earlier segment keeps its start there, since WebVTT
 * times are not negative, and players see the same cue in every file.
 */
const LOCAL_ORIGIN_LEAD_MS = 10_000;

/** Formats milliseconds as a WebVTT timestamp (hh:mm:ss.ttt). */
function vttTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');

  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(millis, 3)}`;
}

/**
 * Builds the WebVTT file for one video segment: the cues that overlap it,
 * and an X-TIMESTAMP-MAP that ties the file's time to the segment's video
 * timestamps (RFC 8216, 3.5). A player then shows each cue with the picture
 * of the moment it arrived. startPts: the segment's first video PTS, or
 * undefined when it is unknown (the file then carries no cues).
 */
export function buildCaptionSegment(
  segmentStartMs: number,
  durationSeconds: number,
  startPts: number | undefined,
  captions: TimedCaption[],
): string {
  if (startPts === undefined) return 'WEBVTT\n';

  // Less lead in the program's first seconds, so that the origin's timestamp is never below 0 (no 33-bit wrap).
  const leadMs = Math.min(LOCAL_ORIGIN_LEAD_MS, Math.floor(startPts / 90));
  const originMs = segmentStartMs - leadMs;
  const originPts = startPts - leadMs * 90;
  const segmentEndMs = segmentStartMs + durationSeconds * 1000;
  const lines = ['WEBVTT', `X-TIMESTAMP-MAP=MPEGTS:${originPts},LOCAL:00:00:00.000`, ''];

  for (const cue of captionCues(captions)) {
    if (cue.endMs <= segmentStartMs || cue.startMs >= segmentEndMs || cue.startMs < originMs) continue;
    lines.push(`${vttTime(cue.startMs - originMs)} --> ${vttTime(cue.endMs - originMs)}`, escapeCueText(cue.text), '');
  }

  return `${lines.join('\n')}\n`;
}

/** Builds the subtitle playlist that mirrors the video playlist's window, segment for segment. */
export function buildCaptionPlaylist(
  segments: PlaylistSegment[],
  targetDurationSeconds: number,
  discontinuitySequence: number,
  ended: boolean,
): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${targetDurationSeconds}`,
    `#EXT-X-MEDIA-SEQUENCE:${segments[0]?.sequence ?? 0}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${discontinuitySequence}`,
  ];

  for (const segment of segments) {
    if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    if (segment.programDateTimeMs !== undefined) {
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.programDateTimeMs).toISOString()}`);
    }
    lines.push(`#EXTINF:${segment.durationSeconds.toFixed(6)},`, captionSegmentName(segment.sequence));
  }
  if (ended) lines.push('#EXT-X-ENDLIST');

  return `${lines.join('\n')}\n`;
}

export type CaptionTrackOptions = {
  directory: string;
  /** The published media playlist of the top rendition, whose segments the captions follow. */
  videoPlaylist: string;
  /** Returns the captions that arrived at or after a wall-clock time (ms), oldest first. */
  captionsSince: (fromMs: number) => TimedCaption[];
  logger: Logger;
};

/**
 * The HLS subtitle track of the live captions: one WebVTT file per video
 * segment, written when the segment is published, and a playlist with the
 * same sequence numbers, date-times and discontinuities as the video's.
 */
export class CaptionTrack {
  readonly #options: CaptionTrackOptions;
  readonly #written = new Set<number>();
  #lastVideoText = '';
  /** The running update; a second caller waits for it, so that two never write the same files. */
  #running: Promise<void> = Promise.resolve();

  constructor(options: CaptionTrackOptions) {
    this.#options = options;
  }

  /** Writes the files of new video segments and the playlist, when the video playlist changed. */
  update(): Promise<void> {
    const next = this.#running.then(() => this.#update());

    this.#running = next.catch(() => undefined);

    return next;
  }

  async #update(): Promise<void> {
    const { directory, videoPlaylist, captionsSince, logger } = this.#options;
    const text = await readFile(videoPlaylist, 'utf8').catch(() => '');

    if (text === '' || text === this.#lastVideoText) return;

    const playlist = parseMediaPlaylist(text);
    const oldestMs = Math.min(...playlist.segments.map((segment) => segment.programDateTimeMs ?? Infinity));
    const captions = Number.isFinite(oldestMs) ? captionsSince(oldestMs - CAPTION_DISPLAY_MS - LOCAL_ORIGIN_LEAD_MS) : [];

    for (const segment of playlist.segments) {
      if (this.#written.has(segment.sequence)) continue;

      const startPts = await segmentStartPts(join(directory, segment.uri)).catch(() => undefined);

      if (startPts === undefined) logger.warn({ sequence: segment.sequence }, 'caption file without timing: the video segment has no timestamp');

      const body = buildCaptionSegment(segment.programDateTimeMs ?? 0, segment.durationSeconds, startPts, captions);

      await writeFile(join(directory, captionSegmentName(segment.sequence)), body);
      this.#written.add(segment.sequence);
    }

    const target = join(directory, CAPTIONS_PLAYLIST_NAME);
    const playlistText = buildCaptionPlaylist(
      playlist.segments,
      playlist.targetDurationSeconds ?? 1,
      playlist.discontinuitySequence ?? 0,
      playlist.ended,
    );

    await writeFile(`${target}.tmp`, playlistText);
    await rename(`${target}.tmp`, target);
    this.#lastVideoText = text;
    await this.#deleteOld(playlist.segments[0]?.sequence ?? 0);
  }

  /** Deletes the caption files of segments that left the playlist's window. */
  async #deleteOld(first: number): Promise<void> {
    const stale = [...this.#written].filter((sequence) => sequence < first);

    if (stale.length === 0) return;
    for (const sequence of stale) this.#written.delete(sequence);
    await Promise.all(stale.map((sequence) => rm(join(this.#options.directory, captionSegmentName(sequence)), { force: true })));
  }
}
