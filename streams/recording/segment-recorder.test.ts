import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../appliance/log.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import { SegmentRecorder, type RecorderEndReason } from './segment-recorder.js';

const logger = createLogger('silent');

/** A fake HLS output: writes segment files and the playlist the way ffmpeg's hls muxer does. */
class FakeHls {
  readonly dir: string;
  #first = 0;
  #segments: { sequence: number; name: string }[] = [];

  constructor(dir: string) {
    this.dir = dir;
  }

  get playlistPath(): string {
    return join(this.dir, 'index.m3u8');
  }

  /** Writes the next segment with the given content and lists the last three. */
  add(content: string): void {
    const sequence = this.#first + this.#segments.length;
    const name = `segment-${String(sequence).padStart(6, '0')}.ts`;

    writeFileSync(join(this.dir, name), content);
    this.#segments.push({ sequence, name });
    this.#write();
  }

  /** Starts numbering at 0 again, as a restarted packager does. */
  restart(): void {
    this.#first = 0;
    this.#segments = [];
  }

  removeFile(sequence: number): void {
    rmSync(join(this.dir, this.#segments.find((segment) => segment.sequence === sequence)!.name));
  }

  #write(): void {
    const listed = this.#segments.slice(-3);
    const lines = ['#EXTM3U', '#EXT-X-TARGETDURATION:1', `#EXT-X-MEDIA-SEQUENCE:${listed[0]!.sequence}`];

    for (const segment of listed) lines.push('#EXTINF:1.000000,', segment.name);
    writeFileSync(this.playlistPath, `${lines.join('\n')}\n`);
  }
}

describe('SegmentRecorder', () => {
  let dir: string;
  let hls: FakeHls;
  let filePath: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podium-recorder-'));
    hls = new FakeHls(dir);
    filePath = join(dir, 'recording.ts');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Starts recording the fake HLS output, with a fake free share of the disk where given. */
  const startRecorder = (freeShare?: (path: string) => Promise<number>) =>
    SegmentRecorder.start({ playlistPath: hls.playlistPath, filePath, logger, freeShare });

  it('starts with newest segment', async () => {
    hls.add('old|');
    hls.add('newest|');

    const recorder = await startRecorder();

    hls.add('next|');
    await waitFor('two segments', () => recorder.progress.durationSeconds === 2);
    await recorder.stop();

    expect(readFileSync(filePath, 'utf8')).toBe('newest|next|');
  });

  it('appends segments written before stop', async () => {
    hls.add('a|');

    const recorder = await startRecorder();

    hls.add('b|');
    hls.add('c|');
    await recorder.stop();

    expect(readFileSync(filePath, 'utf8')).toBe('a|b|c|');
    expect(recorder.progress).toEqual({ bytes: 6, durationSeconds: 3 });
  });

  it('follows restarted packager', async () => {
    hls.add('a|');
    hls.add('b|');
    hls.add('c|');

    const recorder = await startRecorder();

    await waitFor('first segment', () => recorder.progress.bytes > 0);
    hls.restart();
    hls.add('x|');
    await waitFor('segment after restart', () => recorder.progress.durationSeconds === 2);
    await recorder.stop();

    expect(readFileSync(filePath, 'utf8')).toBe('c|x|');
  });

  it('skips segment deleted before read', async () => {
    hls.add('a|');

    const recorder = await startRecorder();

    await waitFor('first segment', () => recorder.progress.bytes > 0);
    hls.add('gone|');
    hls.removeFile(1);
    hls.add('c|');
    await recorder.stop();

    expect(readFileSync(filePath, 'utf8')).toBe('a|c|');
  });

  it('refuses start on full disk', async () => {
    hls.add('a|');

    await expect(
      startRecorder(async () => 0.015),
    ).rejects.toMatchObject({ code: 'PODIUM_ERR_DISK_FULL', message: expect.stringContaining('1.5%') });
  });

  it('warns low disk, then stops full', async () => {
    let free = 0.08;
    const lows: number[] = [];
    const ends: RecorderEndReason[] = [];

    hls.add('a|');

    const recorder = await startRecorder(async () => free);

    recorder.on('diskLow', (share) => lows.push(share));
    recorder.on('ended', (reason) => ends.push(reason));
    await waitFor('first segment', () => recorder.progress.bytes > 0);
    free = 0.02;
    hls.add('b|');
    await waitFor('the recording to end', () => ends.length > 0);

    expect(lows).toEqual([]);
    expect(ends).toEqual(['disk-full']);
    expect(readFileSync(filePath, 'utf8')).toBe('a|');
  });

  it('emits low disk once', async () => {
    let free = 0.5;
    const lows: number[] = [];

    hls.add('a|');

    const recorder = await startRecorder(async () => free);

    recorder.on('diskLow', (share) => lows.push(share));
    await waitFor('first segment', () => recorder.progress.bytes > 0);
    free = 0.09;
    hls.add('b|');
    hls.add('c|');
    await recorder.stop();

    expect(lows).toEqual([0.09]);
    expect(readFileSync(filePath, 'utf8')).toBe('a|b|c|');
  });
});
