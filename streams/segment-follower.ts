import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../appliance/log.js';
import { parseMediaPlaylist, type PlaylistSegment } from './hls/media-playlist.js';

const POLL_MS = 500;

/** Receives each new segment in order; returning "stop" ends the following. */
export type SegmentHandler = (data: Buffer, segment: PlaylistSegment) => Promise<void | 'stop'>;

export type SegmentFollowerOptions = {
  /** The live HLS media playlist to follow. */
  playlistPath: string;
  onSegment: SegmentHandler;
  logger: Logger;
};

/**
 * Follows a live HLS playlist and hands each new MPEG-TS segment, in order,
 * to a handler: the way the recording and the restreams reuse the HLS
 * output's one encode. It starts with the newest listed segment, follows a
 * packager that restarts its numbering, and skips a segment deleted before
 * it was read.
 */
export class SegmentFollower {
  readonly #playlistPath: string;
  readonly #onSegment: SegmentHandler;
  readonly #logger: Logger;
  #nextSequence: number;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> = Promise.resolve();
  #stopped = false;

  private constructor(options: SegmentFollowerOptions, firstSequence: number) {
    this.#playlistPath = options.playlistPath;
    this.#onSegment = options.onSegment;
    this.#logger = options.logger;
    this.#nextSequence = firstSequence;
  }

  /** Starts following with the newest segment listed now. */
  static async start(options: SegmentFollowerOptions): Promise<SegmentFollower> {
    const segments = await readSegments(options.playlistPath);
    const follower = new SegmentFollower(options, segments.at(-1)?.sequence ?? 0);

    follower.#schedule();

    return follower;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Stops following; with flush, first hands over the segments written so far. */
  async stop({ flush = false } = {}): Promise<void> {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    await this.#polling;
    if (flush && !this.#stopped) await this.#handleNewSegments();
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#polling = this.#handleNewSegments().then(() => {
        if (!this.#stopped) this.#schedule();
      });
    }, POLL_MS);
  }

  async #handleNewSegments(): Promise<void> {
    let segments: PlaylistSegment[];

    try {
      segments = await readSegments(this.#playlistPath);
    } catch (error) {
      this.#logger.warn({ err: error, playlist: this.#playlistPath }, 'reading the HLS playlist failed, trying again');

      return;
    }

    const last = segments.at(-1);

    // A restarted packager numbers its segments from 0 again.
    if (last && last.sequence < this.#nextSequence - 1) {
      this.#logger.info({ from: this.#nextSequence, to: segments[0]!.sequence }, 'HLS playlist restarted, following it');
      this.#nextSequence = segments[0]!.sequence;
    }
    for (const segment of segments) {
      if (this.#stopped) return;
      if (segment.sequence < this.#nextSequence) continue;
      this.#nextSequence = segment.sequence + 1;

      const data = await this.#read(segment);

      if (data && (await this.#onSegment(data, segment)) === 'stop') {
        this.#stopped = true;
        clearTimeout(this.#timer);
      }
    }
  }

  async #read(segment: PlaylistSegment): Promise<Buffer | undefined> {
    try {
      return await readFile(join(dirname(this.#playlistPath), segment.uri));
    } catch (error) {
      this.#logger.warn({ err: error, segment: segment.uri }, 'HLS segment deleted before it was read, skipped');

      return undefined;
    }
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
