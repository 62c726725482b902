import { describe, expect, it } from 'vitest';
import { AudioLevelParser, isLevelLine, SILENCE_DB, type AudioLevel } from './audio-level.js';

// Lines that ffmpeg 5.1 logs at the info level for the capture's meter branch.
// The first frame is a 0.5-amplitude sine (peak -6.02 dBFS, RMS -9.03 dBFS),
// and the second is digital silence.
const SAMPLE = [
  '[Parsed_ametadata_5 @ 0x5641c83cff80] frame:0    pts:0       pts_time:0',
  '[Parsed_ametadata_5 @ 0x5641c83cff80] lavfi.astats.Overall.Peak_level=-6.020335',
  '[Parsed_ametadata_5 @ 0x5641c83cff80] lavfi.astats.Overall.RMS_level=-9.030616',
  '[Parsed_ametadata_5 @ 0x5641c83cff80] frame:1    pts:4800    pts_time:0.1',
  '[Parsed_ametadata_5 @ 0x5641c83cff80] lavfi.astats.Overall.Peak_level=-inf',
  '[Parsed_ametadata_5 @ 0x5641c83cff80] lavfi.astats.Overall.RMS_level=-inf',
];

function parseAll(lines: string[]): AudioLevel[] {
  const parser = new AudioLevelParser();

  return lines.flatMap((line) => parser.push(line) ?? []);
}

describe('AudioLevelParser', () => {
  it('reads levels from logged lines', () => {
    expect(parseAll(SAMPLE)).toEqual([
      { peakDb: -6.020335, rmsDb: -9.030616 },
      { peakDb: SILENCE_DB, rmsDb: SILENCE_DB },
    ]);
  });

  it('reads lines without log prefix', () => {
    const bare = SAMPLE.map((line) => line.replace(/^\[[^\]]+\] /, ''));

    expect(parseAll(bare)).toEqual(parseAll(SAMPLE));
  });

  it('returns level on the RMS line', () => {
    const parser = new AudioLevelParser();

    expect(parser.push(SAMPLE[0]!)).toBeUndefined();
    expect(parser.push(SAMPLE[1]!)).toBeUndefined();
    expect(parser.push(SAMPLE[2]!)).toEqual({ peakDb: -6.020335, rmsDb: -9.030616 });
  });

  it('maps -inf to silence floor', () => {
    expect(SILENCE_DB).toBe(-120);
    expect(parseAll(['lavfi.astats.Overall.Peak_level=-inf', 'lavfi.astats.Overall.RMS_level=-inf'])).toEqual([
      { peakDb: -120, rmsDb: -120 },
    ]);
  });

  it('clamps values below the floor', () => {
    expect(parseAll(['lavfi.astats.Overall.Peak_level=-150.5', 'lavfi.astats.Overall.RMS_level=-130'])).toEqual([
      { peakDb: -120, rmsDb: -120 },
    ]);
  });

  it('keeps 0 dBFS full scale', () => {
    expect(parseAll(['lavfi.astats.Overall.Peak_level=0.000000', 'lavfi.astats.Overall.RMS_level=-3.010300'])).toEqual([
      { peakDb: 0, rmsDb: -3.0103 },
    ]);
  });

  it('maps unparsable number to floor', () => {
    expect(parseAll(['lavfi.astats.Overall.Peak_level=nan', 'lavfi.astats.Overall.RMS_level=-20'])).toEqual([
      { peakDb: SILENCE_DB, rmsDb: -20 },
    ]);
  });

  it('ignores RMS without peak', () => {
    const parser = new AudioLevelParser();

    expect(parser.push('frame:3    pts:14400   pts_time:0.3')).toBeUndefined();
    expect(parser.push('lavfi.astats.Overall.RMS_level=-12.5')).toBeUndefined();
  });

  it('forgets peak at next frame', () => {
    expect(
      parseAll([
        'lavfi.astats.Overall.Peak_level=-3',
        'frame:7    pts:33600   pts_time:0.7',
        'lavfi.astats.Overall.RMS_level=-12.5',
      ]),
    ).toEqual([]);
  });

  it('uses each peak only once', () => {
    expect(
      parseAll([
        'lavfi.astats.Overall.Peak_level=-3',
        'lavfi.astats.Overall.RMS_level=-12.5',
        'lavfi.astats.Overall.RMS_level=-14',
      ]),
    ).toEqual([{ peakDb: -3, rmsDb: -12.5 }]);
  });

  it('skips garbage lines', () => {
    const lines = [
      'garbage',
      '',
      '[Parsed_astats_4 @ 0x5641c83cf100] Peak level dB: -6.020335',
      'lavfi.astats.Overall.Peak_level',
      'frame=   30 fps= 30 q=21.0 size=N/A time=00:00:01.00 bitrate=N/A speed=1x',
      ...SAMPLE.slice(0, 2),
      '[libx264 @ 0x55] frame MB size (120x68) > level limit (3600)',
      SAMPLE[2]!,
    ];

    expect(parseAll(lines)).toEqual([{ peakDb: -6.020335, rmsDb: -9.030616 }]);
  });

  it('tolerates surrounding whitespace', () => {
    expect(parseAll(['  lavfi.astats.Overall.Peak_level=-1.5\r', '\tlavfi.astats.Overall.RMS_level=-4.5  '])).toEqual([
      { peakDb: -1.5, rmsDb: -4.5 },
    ]);
  });
});

describe('isLevelLine', () => {
  it('accepts ametadata log lines', () => {
    expect(SAMPLE.every(isLevelLine)).toBe(true);
  });

  it.each([
    '[Parsed_astats_4 @ 0x5641c83cf100] Overall',
    '[libx264 @ 0x55] using cpu capabilities: MMX2 SSE2Fast',
    'lavfi.astats.Overall.Peak_level=-6.0',
    ' [Parsed_ametadata_5 @ 0x1] frame:0',
    '',
  ])('rejects %j', (line) => {
    expect(isLevelLine(line)).toBe(false);
  });
});
