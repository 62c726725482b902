import { EventEmitter } from 'node:events';
import { open, statfs, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { podiumError } from '../../appliance/errors.js';
import type { Logger } from '../../appliance/log.js';
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
};

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
  #follower: SegmentFollower | undefined;
  #bytes = 0;
  #durationSeconds = 0;
  #warned = false;
  #ended = false;

  private constructor(options: Required<SegmentRecorderOptions>, file: FileHandle) {
    super();
    this.filePath = options.filePath;
    this.#file = file;
    this.#logger = options.logger;
    this.#freeShare = options.freeShare;
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
