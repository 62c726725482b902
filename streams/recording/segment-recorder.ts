import { EventEmitter } from 'node:events';
import { open, readFile, statfs, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { podiumError } from '../../appliance/errors.js';
import type { Logger } from '../../appliance/log.js';
import { parseMediaPlaylist, type PlaylistSegment } from './media-playlist.js';

/** Below this share of free space the console warns. */
export const DISK_WARN_SHARE = 0.1;
/** At or below this share of free space the recording stops, and the live stream goes on. */
export const DISK_STOP_SHARE = 0.02;

const POLL_MS = 500;

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
};

/**
 * Records an event by appending each new MPEG-TS segment of the HLS output
 * to one file, so the recording reuses the one H.264 and AAC encode. MPEG-TS
 * needs no index at the end, and every append is synced to disk: after a
 * power cut or kill -9 the file plays up to the last segment written.
 */
export class SegmentRecorder extends EventEmitter<SegmentRecorderEvents> {
  readonly filePath: string;
  readonly #playlistPath: string;
  readonly #file: FileHandle;
  readonly #logger: Logger;
  readonly #freeShare: (path: string) => Promise<number>;
  #nextSequence: number;
  #bytes = 0;
  #durationSeconds = 0;
  #warned = false;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> = Promise.resolve();
  #ended = false;

  private constructor(options: Required<SegmentRecorderOptions>, file: FileHandle, firstSequence: number) {
    super();
    this.filePath = options.filePath;
    this.#playlistPath = options.playlistPath;
    this.#file = file;
    this.#logger = options.logger;
    this.#freeShare = options.freeShare;
    this.#nextSequence = firstSequence;
  }

  /**
   * Starts recording with the newest segment of the playlist. Throws
   * PODIUM_ERR_DISK_FULL when the file system has no more than 2% free.
   */
  static async start(options: SegmentRecorderOptions): Promise<SegmentRecorder> {
    const resolved = { ...options, freeShare: options.freeShare ?? freeDiskShare };
    const share = await resolved.freeShare(dirname(options.filePath));

    if (share <= DISK_STOP_SHARE) throw podiumError('PODIUM_ERR_DISK_FULL', dirname(options.filePath), percent(share));

    const segments = await readSegments(options.playlistPath);
    const file = await open(options.filePath, 'a');
    const recorder = new SegmentRecorder(resolved, file, segments.at(-1)?.sequence ?? 0);

    if (share < DISK_WARN_SHARE) recorder.#warnDiskLow(share);
    recorder.#schedule();

    return recorder;
  }

  get progress(): RecorderProgress {
    return { bytes: this.#bytes, durationSeconds: this.#durationSeconds };
  }

  /** Appends the segments written so far, then closes the file. Safe to call more than once. */
  async stop(): Promise<void> {
    if (this.#ended) return;
    clearTimeout(this.#timer);
    await this.#polling;
    if (this.#ended) return;
    await this.#appendNewSegments();
    await this.#end('requested');
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#polling = this.#appendNewSegments().then(() => {
        if (!this.#ended) this.#schedule();
      });
    }, POLL_MS);
  }

  async #appendNewSegments(): Promise<void> {
    let segments: PlaylistSegment[];

    try {
      segments = await readSegments(this.#playlistPath);
    } catch (error) {
      this.#logger.warn({ err: error, playlist: this.#playlistPath }, 'reading the HLS playlist failed, the recording tries again');

      return;
    }

    const last = segments.at(-1);

    // A restarted packager numbers its segments from 0 again.
    if (last && last.sequence < this.#nextSequence - 1) {
      this.#logger.info({ from: this.#nextSequence, to: segments[0]!.sequence }, 'HLS playlist restarted, recording follows');
      this.#nextSequence = segments[0]!.sequence;
    }
    for (const segment of segments) {
      if (this.#ended) return;
      if (segment.sequence < this.#nextSequence) continue;
      await this.#append(segment);
      this.#nextSequence = segment.sequence + 1;
    }
  }

  async #append(segment: PlaylistSegment): Promise<void> {
    let data: Buffer;

    try {
      data = await readFile(join(dirname(this.#playlistPath), segment.uri));
    } catch (error) {
      this.#logger.warn({ err: error, segment: segment.uri }, 'recording missed a deleted HLS segment');

      return;
    }

    const share = await this.#freeShare(dirname(this.filePath));

    if (share <= DISK_STOP_SHARE) {
      await this.#end('disk-full', `only ${percent(share)} of the disk is free`);

      return;
    }
    if (share < DISK_WARN_SHARE) this.#warnDiskLow(share);

    try {
      await this.#file.write(data);
      await this.#file.datasync();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;

      await this.#end(code === 'ENOSPC' ? 'disk-full' : 'write-failed', (error as Error).message);

      return;
    }
    this.#bytes += data.length;
    this.#durationSeconds += segment.durationSeconds;
    this.emit('progress', this.progress);
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
    clearTimeout(this.#timer);
    await this.#file.close().catch((error: unknown) => {
      this.#logger.error({ err: error, file: this.filePath }, 'recording file failed to close');
    });
    if (reason === 'requested') this.#logger.info({ file: this.filePath, ...this.progress }, 'recording stopped');
    else this.#logger.error({ file: this.filePath, reason, detail, ...this.progress }, 'recording stopped by a fault');
    this.emit('ended', reason, detail);
  }
}

async function readSegments(playlistPath: string): Promise<PlaylistSegment[]> {
  try {
    return parseMediaPlaylist(await readFile(playlistPath, 'utf8')).segments;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
