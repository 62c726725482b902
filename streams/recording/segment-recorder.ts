import { EventEmitter } from 'node:events';
import { appendFile, open, statfs, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { podiumError } from '../../appliance/errors.js';
import type { Logger } from '../../appliance/log.js';
import { captionCues, escapeCueText, type TimedCaption } from '../../appliance/captions/caption-timing.js';
import type { PlaylistSegment } from '../hls/media-playlist.js';
import { SegmentFollower } from '../segment-follower.js';

/** Below this share of free space the console warns. */
export const DISK_WARN_SHARE = 0.1;
/** At or below this share of free space the recording stops, and the live stream goes on. */
export const DISK_STOP_SHARE = 0.02;

export type RecorderEndReason = 'requested' | 'disk-full' | 'write-failed';

export type RecorderProgress = { bytes: number; durationSeconds: number };

export type SegmentRecorderEvents = {
  /** A segment was appended and synced to disk. */
  progress: [RecorderProgress];
  /** Free space fell below DISK_WARN_SHARE; the share is from 0 to 1. */
  diskLow: [number];
  /** The recording ended; detail names the failure for "disk-full" and "write-failed". */
  ended: [RecorderEndReason, string | undefined];
};

/** Returns the share of the file system at path that is free for unprivileged writes, from 0 to 1. */
export async function freeDiskShare(path: string): Promise<number> {
  const stats = await statfs(path);

  return stats.blocks > 0 ? stats.bavail / stats.blocks : 0;
}

export type SegmentRecorderOptions = {
  /** The live HLS media playlist whose segments are recorded. */
  playlistPath: string;
  /** The recording file; it is created or appended to. */
  filePath: string;
  logger: Logger;
  /** Returns the free share of the recording's file system (tests pass a fake). */
  freeShare?: (path: string) => Promise<number>;
  /** Returns the live captions since a wall-clock time (ms); they go into a WebVTT file beside the recording. */
  captionsSince?: (fromMs: number) => TimedCaption[];
};

/** How far back a segment looks for captions not written yet, in ms. */
const CAPTION_LOOKBACK_MS = 60_000;

/** Returns the caption file of a recording: its name with .vtt, which players such as VLC open with it. */
export function captionFilePath(recordingPath: string): string {
  return recordingPath.replace(/\.ts$/, '') + '.vtt';
}

/** Formats seconds as a WebVTT timestamp (hh:mm:ss.ttt). */
function vttTimestamp(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');

  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}

/**
 * Records an event by appending each new MPEG-TS segment of the HLS output
 * (see SegmentFollower) to one file, so the recording reuses the one H.264 and AAC encode. MPEG-TS
 * needs no index at the end, and every append is synced to disk: after a
 * power cut or kill -9 the file plays up to the last segment written.
 */
export class SegmentRecorder extends EventEmitter<SegmentRecorderEvents> {
  readonly filePath: string;
  readonly #file: FileHandle;
  readonly #logger: Logger;
  readonly #freeShare: (path: string) => Promise<number>;
  readonly #captionsSince: ((fromMs: number) => TimedCaption[]) | undefined;
  /** Captions written to the caption file, by arrival time and text. */
  readonly #captionsWritten = new Set<string>();
  /** The date-time of the first recorded segment (ms): captions that ended before it are not part of the recording. */
  #recordingStartMs: number | undefined;
  #follower: SegmentFollower | undefined;
  #bytes = 0;
  #durationSeconds = 0;
  #warned = false;
  #ended = false;

  private constructor(options: SegmentRecorderOptions & { freeShare: (path: string) => Promise<number> }, file: FileHandle) {
    super();
    this.filePath = options.filePath;
    this.#file = file;
    this.#logger = options.logger;
    this.#freeShare = options.freeShare;
    this.#captionsSince = options.captionsSince;
  }

  /**
   * Starts recording with the newest segment of the playlist. Throws
   * PODIUM_ERR_DISK_FULL when the file system has no more than 2% free.
   */
  static async start(options: SegmentRecorderOptions): Promise<SegmentRecorder> {
    const resolved = { ...options, freeShare: options.freeShare ?? freeDiskShare };
    const share = await resolved.freeShare(dirname(options.filePath));

    if (share <= DISK_STOP_SHARE) throw podiumError('PODIUM_ERR_DISK_FULL', dirname(options.filePath), percent(share));

    const file = await open(options.filePath, 'a');
    const recorder = new SegmentRecorder(resolved, file);

    if (share < DISK_WARN_SHARE) recorder.#warnDiskLow(share);
    recorder.#follower = await SegmentFollower.start({
      playlistPath: options.playlistPath,
      logger: options.logger,
      onSegment: (data, segment) => recorder.#append(data, segment),
    });

    return recorder;
  }

  get progress(): RecorderProgress {
    return { bytes: this.#bytes, durationSeconds: this.#durationSeconds };
  }

  /** Appends the segments written so far, then closes the file. Safe to call more than once. */
  async stop(): Promise<void> {
    if (this.#ended) return;
    await this.#follower?.stop({ flush: true });
    await this.#end('requested');
  }

  async #append(data: Buffer, segment: PlaylistSegment): Promise<void | 'stop'> {
    const share = await this.#freeShare(dirname(this.filePath));

    if (share <= DISK_STOP_SHARE) {
      await this.#end('disk-full', `only ${percent(share)} of the disk is free`);

      return 'stop';
    }
    if (share < DISK_WARN_SHARE) this.#warnDiskLow(share);

    try {
      await this.#file.write(data);
      await this.#file.datasync();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;

      await this.#end(code === 'ENOSPC' ? 'disk-full' : 'write-failed', (error as Error).message);

      return 'stop';
    }
    const offsetSeconds = this.#durationSeconds;

    this.#bytes += data.length;
    this.#durationSeconds += segment.durationSeconds;
    await this.#appendCaptions(segment, offsetSeconds);
    this.emit('progress', this.progress);
  }

  /**
   * Appends the captions that arrived during a segment to the caption file,
   * timed on the recording's own timeline (offsetSeconds: where the segment
   * starts in it). A failure costs the captions, never the recording.
   */
  async #appendCaptions(segment: PlaylistSegment, offsetSeconds: number): Promise<void> {
    const startMs = segment.programDateTimeMs;

    if (!this.#captionsSince || startMs === undefined) return;

    this.#recordingStartMs ??= startMs;

    const recordingStartMs = this.#recordingStartMs;
    const endMs = startMs + segment.durationSeconds * 1000;
    // A caption that arrived after the previous segment was appended, but belongs to it, comes now at its own time.
    const cues = captionCues(this.#captionsSince(startMs - CAPTION_LOOKBACK_MS)).filter(
      (cue) => cue.startMs < endMs && cue.endMs > recordingStartMs && !this.#captionsWritten.has(`${cue.startMs}:${cue.text}`),
    );
    const path = captionFilePath(this.filePath);
    const lines: string[] = [];

    if (this.#captionsWritten.size === 0 && cues.length > 0) lines.push('WEBVTT', '');
    for (const cue of cues) {
      const start = Math.max(0, offsetSeconds + (cue.startMs - startMs) / 1000);

      this.#captionsWritten.add(`${cue.startMs}:${cue.text}`);
      lines.push(`${vttTimestamp(start)} --> ${vttTimestamp(start + (cue.endMs - cue.startMs) / 1000)}`, escapeCueText(cue.text), '');
    }
    if (lines.length === 0) return;
    await appendFile(path, `${lines.join('\n')}\n`).catch((error: unknown) => {
      this.#logger.error({ err: error, file: path }, 'writing the recording captions failed');
    });
  }

  #warnDiskLow(share: number): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#logger.warn({ file: this.filePath, free: percent(share) }, 'disk space low while recording');
    this.emit('diskLow', share);
  }

  async #end(reason: RecorderEndReason, detail?: string): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    await this.#file.close().catch((error: unknown) => {
      this.#logger.error({ err: error, file: this.filePath }, 'recording file failed to close');
    });
    if (reason === 'requested') this.#logger.info({ file: this.filePath, ...this.progress }, 'recording stopped');
    else this.#logger.error({ file: this.filePath, reason, detail, ...this.progress }, 'recording stopped by a fault');
    this.emit('ended', reason, detail);
  }
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
