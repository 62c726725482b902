import { describe, expect, it } from 'vitest';
import { AvEventParser, AvOffsetTracker, rollingMedians, summarizeOffsets, type AvEvent } from './av-offsets.js';

/** Probe stderr as ffmpeg 5.1 prints it (metadata filter and silencedetect). */
const PROBE_LINES = [
  '[Parsed_metadata_1 @ 0x55d1] frame:29   pts:87000   pts_time:0.966667',
  '[Parsed_metadata_1 @ 0x55d1] lavfi.signalstats.YAVG=16',
  '[Parsed_metadata_1 @ 0x55d1] frame:30   pts:90000   pts_time:1',
  '[Parsed_metadata_1 @ 0x55d1] lavfi.signalstats.YAVG=235',
  '[Parsed_metadata_1 @ 0x55d1] frame:31   pts:93000   pts_time:1.03333',
  '[Parsed_metadata_1 @ 0x55d1] lavfi.signalstats.YAVG=235',
  '[silencedetect @ 0x55d2] silence_end: 1.0215 | silence_duration: 0.9021',
];

function offsetsOf(events: AvEvent[]): number[] {
  const tracker = new AvOffsetTracker();

  for (const event of events) tracker.push(event);

  return tracker.offsets.map((offset) => offset.offsetMs);
}

/** Flashes at each second and beeps drifting later by driftMs per second. */
function drifting(seconds: number, driftMs: number): AvEvent[] {
  const events: AvEvent[] = [];

  for (let second = 1; second <= seconds; second += 1) {
    events.push({ kind: 'flash', time: second });
    events.push({ kind: 'beep', time: second + (second * driftMs) / 1000 });
  }

  return events;
}

describe('AvEventParser', () => {
  it('finds flash onset and beep', () => {
    const parser = new AvEventParser();
    const events = PROBE_LINES.map((line) => parser.push(line)).filter((event) => event !== undefined);

    expect(events).toEqual([
      { kind: 'flash', time: 1 },
      { kind: 'beep', time: 1.0215 },
    ]);
  });

  it('ignores unrelated lines', () => {
    const parser = new AvEventParser();

    expect(parser.push('[silencedetect @ 0x55d2] silence_start: 1.1')).toBeUndefined();
    expect(parser.push('Input #0, hls, from http://127.0.0.1/hls/e/index.m3u8:')).toBeUndefined();
  });
});

describe('AvOffsetTracker', () => {
  it('pairs beep with its flash', () => {
    // The last flash waits for a later beep, which shows the nearest one has arrived.
    expect(offsetsOf(drifting(3, 0))).toEqual([0, 0]);
  });

  it('measures audio early as negative', () => {
    const events: AvEvent[] = [
      { kind: 'beep', time: 0.97 },
      { kind: 'flash', time: 1 },
      { kind: 'beep', time: 1.97 },
      { kind: 'flash', time: 2 },
      { kind: 'beep', time: 2.97 },
    ];

    expect(offsetsOf(events)).toEqual([-30, -30]);
  });

  it('follows drift past one second', () => {
    const offsets = offsetsOf(drifting(60, 30));

    expect(offsets).toHaveLength(59);
    expect(offsets.at(-1)).toBe(1770);
  });

  it('skips flash without beep', () => {
    const events = drifting(4, 0).filter((event) => !(event.kind === 'beep' && event.time === 2));

    expect(offsetsOf(events)).toEqual([0, 0]);
  });
});

describe('rollingMedians', () => {
  const offsets = [0, 10, -64, 5, 8, 300, 310, 320].map((offsetMs, index) => ({ flashTime: index, beepTime: index, offsetMs }));

  it('ignores single late frame', () => {
    expect(rollingMedians(offsets.slice(0, 5), 5)).toEqual([5]);
  });

  it('follows lasting offset', () => {
    expect(rollingMedians(offsets, 5)).toEqual([5, 8, 8, 300]);
  });

  it('averages middle pair of even window', () => {
    expect(rollingMedians(offsets.slice(0, 4), 4)).toEqual([2.5]);
  });

  it('returns nothing for short series', () => {
    expect(rollingMedians(offsets.slice(0, 2), 5)).toEqual([]);
  });
});

describe('summarizeOffsets', () => {
  it('reports max, final and mean', () => {
    const offsets = [-40, 10, 6].map((offsetMs, index) => ({ flashTime: index, beepTime: index, offsetMs }));

    expect(summarizeOffsets(offsets)).toEqual({ pairs: 3, maxAbsMs: 40, finalMs: 6, meanMs: -8 });
  });

  it('returns undefined without offsets', () => {
    expect(summarizeOffsets([])).toBeUndefined();
  });
});
