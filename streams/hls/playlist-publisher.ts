import { readFile, rename, writeFile } from 'node:fs/promises';

/**
 * Rewrites a media playlist as players should see it, given the sequence
 * numbers of the segments that follow a discontinuity: the
 * EXT-X-DISCONTINUITY-SEQUENCE counts those that have left the window
 * (RFC 8216, 4.3.3.3), so that a player that already watches keeps each
 * segment in the right timeline after the tag scrolled away.
 */
export function withDiscontinuitySequence(text: string, discontinuities: ReadonlySet<number>, first: number): string {
  let passed = 0;

  for (const sequence of discontinuities) if (sequence < first) passed += 1;

  return text.replace(/^(#EXT-X-MEDIA-SEQUENCE:\d+)$/m, `$1\n#EXT-X-DISCONTINUITY-SEQUENCE:${passed}`);
}

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
  #firstSeen: number | undefined;

  constructor(source: string, target: string) {
    this.#source = source;
    this.#target = target;
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
    const body = kept.map((line) => line.text).join('\n');
    const temporary = `${this.#target}.tmp`;

    await writeFile(temporary, withDiscontinuitySequence(body, this.#discontinuities, first));
    await rename(temporary, this.#target);
    this.#lastText = text;

    return true;
  }
}
