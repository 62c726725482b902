import { readFile, rename, writeFile } from 'node:fs/promises';

/**
 * Adds EXT-X-DISCONTINUITY-SEQUENCE to a media playlist: the number of
 * discontinuities (given by the sequence numbers of the segments after them)
 * that have left the window (RFC 8216, 4.3.3.3). A player that already plays
 * then keeps each segment in the right timeline after the tag scrolled away.
 */
export function withDiscontinuitySequence(text: string, discontinuities: ReadonlySet<number>, first: number): string {
  let passed = 0;

  for (const sequence of discontinuities) if (sequence < first) passed += 1;

  return text.replace(/^(#EXT-X-MEDIA-SEQUENCE:\d+)$/m, `$1\n#EXT-X-DISCONTINUITY-SEQUENCE:${passed}`);
}

const DATE_TIME_TAG = '#EXT-X-PROGRAM-DATE-TIME:';

type PlaylistLine = { text: string; sequence?: number; discontinuity?: boolean };

/**
 * Splits a media playlist into lines, numbering each segment URI with its
 * sequence number and marking those that a discontinuity tag precedes.
 */
function linesOf(text: string): PlaylistLine[] {
  let sequence = Number(/^#EXT-X-MEDIA-SEQUENCE:(\d+)$/m.exec(text)?.[1] ?? 0);
  let discontinuity = false;

  return text.split('\n').map((line) => {
    if (line === '#EXT-X-DISCONTINUITY') discontinuity = true;
    if (line === '' || line.startsWith('#')) return { text: line };

    const entry = { text: line, sequence, discontinuity };

    sequence += 1;
    discontinuity = false;

    return entry;
  });
}

/**
 * Publishes the playlist ffmpeg writes under the name players read. ffmpeg
 * (5.1) continues a playlist after a restart with a discontinuity tag but
 * writes no discontinuity sequence; the publisher remembers where each
 * discontinuity was and adds the count. It writes a new version only when
 * ffmpeg's changed, atomically (write, then rename).
 */
export class PlaylistPublisher {
  readonly #source: string;
  readonly #target: string;
  readonly #discontinuities = new Set<number>();
  #lastText = '';
  #newest = -1;
  #firstSeen: number | undefined;
  /** The wall-clock start of a run whose first segment has not appeared yet. */
  #pendingRunStart: number | undefined;
  /** How far ffmpeg's date-time is ahead of the content, for the current run, in ms. */
  #runOffsetMs = 0;
  /** The offset of each segment seen, by sequence number. */
  readonly #offsets = new Map<number, number>();

  constructor(source: string, target: string) {
    this.#source = source;
    this.#target = target;
  }

  /**
   * Marks the start of a new encoder run: its first segment's content begins
   * at this wall-clock time (ms). ffmpeg dates its segments from the moment
   * it opened its output, later than that, so the publisher moves the
   * run's EXT-X-PROGRAM-DATE-TIME back by the difference.
   */
  markRunStart(wallClockMs: number): void {
    this.#pendingRunStart = wallClockMs;
  }

  /** The sequence number of the newest published segment, -1 before the first. */
  get newestSequence(): number {
    return this.#newest;
  }

  /** Whether the published playlist lists a segment. */
  get hasSegments(): boolean {
    return this.#lastText.includes('#EXTINF');
  }

  /** Reads ffmpeg's playlist and publishes it if it changed; returns whether it did. */
  async publish(): Promise<boolean> {
    const text = await readFile(this.#source, 'utf8').catch(() => '');

    if (text === '' || text === this.#lastText) return false;

    const lines = linesOf(text);
    const segments = lines.filter((line) => line.sequence !== undefined);
    const first = segments[0]?.sequence ?? 0;

    this.#firstSeen ??= segments[0]?.sequence;
    for (const segment of segments) {
      if (segment.discontinuity && segment.sequence !== this.#firstSeen) this.#discontinuities.add(segment.sequence!);
    }

    // A tag before the very first segment marks no change of timeline for anyone.
    const firstTag = lines.findIndex((line) => line.sequence === this.#firstSeen && line.discontinuity);
    const kept = lines.filter((line, index) => {
      if (line.text !== '#EXT-X-DISCONTINUITY' || firstTag < 0 || index > firstTag) return true;

      return lines.slice(index + 1, firstTag).some((between) => between.sequence !== undefined);
    });
    const body = this.#redate(kept).map((line) => line.text).join('\n');
    const temporary = `${this.#target}.tmp`;

    await writeFile(temporary, withDiscontinuitySequence(body, this.#discontinuities, first));
    await rename(temporary, this.#target);
    this.#lastText = text;
    this.#newest = segments.at(-1)?.sequence ?? this.#newest;

    return true;
  }

  /** Rewrites each segment's date-time by its run's offset (the tag precedes the segment's URI). */
  #redate(lines: PlaylistLine[]): PlaylistLine[] {
    let pendingDate: { index: number; ms: number } | undefined;
    const result = [...lines];

    lines.forEach((line, index) => {
      if (line.text.startsWith(DATE_TIME_TAG)) {
        const ms = Date.parse(line.text.slice(DATE_TIME_TAG.length));

        pendingDate = Number.isFinite(ms) ? { index, ms } : undefined;

        return;
      }
      if (line.sequence === undefined || pendingDate === undefined) return;
      if (!this.#offsets.has(line.sequence)) {
        // A run's first segment is the very first one or one after a discontinuity
        // tag. A late segment of the previous run must not set the new offset.
        const firstOfRun = line.discontinuity === true || line.sequence === this.#firstSeen;

        if (this.#pendingRunStart !== undefined && firstOfRun) {
          this.#runOffsetMs = pendingDate.ms - this.#pendingRunStart;
          this.#pendingRunStart = undefined;
        }
        this.#offsets.set(line.sequence, this.#runOffsetMs);
      }
      result[pendingDate.index] = {
        text: `${DATE_TIME_TAG}${new Date(pendingDate.ms - this.#offsets.get(line.sequence)!).toISOString()}`,
      };
      pendingDate = undefined;
    });
    for (const sequence of this.#offsets.keys()) {
      if (sequence < (lines.find((line) => line.sequence !== undefined)?.sequence ?? 0)) this.#offsets.delete(sequence);
    }

    return result;
  }
}
