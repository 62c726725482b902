import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstVideoPts, segmentStartPts } from './segment-start-pts.js';

describe('segmentStartPts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podium-pts-'));

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the video PTS that ffprobe reports', async () => {
    const file = join(dir, 'segment.ts');

    // -output_ts_offset moves the timestamps far from 0, as the compositor's wall-clock ones are.
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=10', '-t', '1',
      '-c:v', 'libx264', '-output_ts_offset', '5000.5', '-f', 'mpegts', file,
    ]);

    const probed = execFileSync('ffprobe', [
      '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts', '-of', 'csv=p=0', file,
    ]).toString();
    const first = Number.parseInt(probed, 10);
    const pts = await segmentStartPts(file);

    expect(pts).toBe(first);
    expect(pts).toBeGreaterThan(5000 * 90_000);
  });

  it('returns undefined without video', () => {
    expect(firstVideoPts(Buffer.alloc(188 * 4))).toBeUndefined();
  });
});
