import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { resolveFfmpegPath } from '../appliance/process/ffmpeg.js';
import { FrameRateMeter, isProgressLine, isSlow, type FrameRateReading } from './frame-rate-meter.js';

/** Returns one progress block as ffmpeg 5.1 prints it with -progress pipe:2. */
function block(frame: number, dup: number, drop = 0): string[] {
  return [
    `frame=${frame}`,
    'fps=29.50',
    'stream_0_0_q=-1.0',
    'bitrate=N/A',
    'total_size=N/A',
    'out_time_us=1933333',
    'out_time_ms=1933333',
    'out_time=00:00:01.933333',
    `dup_frames=${dup}`,
    `drop_frames=${drop}`,
    'speed=0.967x',
    'progress=continue',
  ];
}

function feed(meter: FrameRateMeter, lines: string[], now: number): FrameRateReading | undefined {
  let reading: FrameRateReading | undefined;

  for (const line of lines) reading = meter.push(line, now) ?? reading;

  return reading;
}

/**
 * Runs a real ffmpeg on a lavfi source of sourceFps, encoding at a constant
 * 30 fps the way the capture does, and returns the meter's last reading.
 */
async function measure(sourceFps: number): Promise<FrameRateReading | undefined> {
  const meter = new FrameRateMeter({ requestedFps: 30, windowMs: 2000, warmupMs: 1000 });
  const child = spawn(resolveFfmpegPath(), [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning',
    '-progress', 'pipe:2', '-stats_period', '0.5',
    '-re', '-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=${sourceFps}`,
    '-t', '4', '-r', '30', '-fps_mode', 'cfr', '-c:v', 'rawvideo', '-f', 'null', '-',
  ]);
  let reading: FrameRateReading | undefined;

  createInterface({ input: child.stderr }).on('line', (line) => {
    if (isProgressLine(line)) reading = meter.push(line) ?? reading;
  });
  await new Promise((resolve) => child.on('close', resolve));

  return reading;
}

describe('FrameRateMeter', () => {
  it('counts repeated frames as missing', () => {
    const meter = new FrameRateMeter({ requestedFps: 30, windowMs: 4000, warmupMs: 0 }, 0);

    expect(feed(meter, block(30, 10), 1000)).toBeUndefined();

    // 60 frames out in 2 s, of which 20 were repeats: 20 delivered per second.
    expect(feed(meter, block(90, 30), 3000)).toEqual({ requested: 30, delivered: 20 });
  });

  it('adds dropped frames back', () => {
    const meter = new FrameRateMeter({ requestedFps: 25, windowMs: 4000, warmupMs: 0 }, 0);

    feed(meter, block(25, 0, 0), 1000);

    expect(feed(meter, block(75, 0, 10), 3000)?.delivered).toBe(30);
  });

  it('waits for warm-up after reset', () => {
    const meter = new FrameRateMeter({ requestedFps: 30, windowMs: 2000, warmupMs: 3000 }, 0);

    feed(meter, block(30, 0), 1000);
    expect(feed(meter, block(90, 0), 2500)).toBeUndefined();
    meter.reset(2500);
    feed(meter, block(10, 0), 6000);

    expect(feed(meter, block(40, 0), 7000)?.delivered).toBe(30);
  });

  it('ignores lines of other kinds', () => {
    expect(isProgressLine('frame=12')).toBe(true);
    expect(isProgressLine('progress=end')).toBe(true);
    expect(isProgressLine('[Parsed_ametadata_3 @ 0x1] lavfi.astats.Overall.Peak_level=-6.0')).toBe(false);
  });

  it('calls 10% below the request slow', () => {
    expect(isSlow({ requested: 30, delivered: 26.9 })).toBe(true);
    expect(isSlow({ requested: 30, delivered: 27.1 })).toBe(false);
  });

  it('measures a real 20 fps source as slow', async () => {
    const reading = await measure(20);

    expect(reading?.delivered).toBeGreaterThan(17);
    expect(reading?.delivered).toBeLessThan(23);
    expect(isSlow(reading!)).toBe(true);
  });

  it('measures a real 30 fps source as on time', async () => {
    const reading = await measure(30);

    expect(reading?.delivered).toBeGreaterThan(27.5);
    expect(isSlow(reading!)).toBe(false);
  });
});
