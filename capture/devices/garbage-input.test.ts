import { describe, expect, it } from 'vitest';
import { parseArecordList, parseHwParams } from './alsa-listing.js';
import { DeviceListingError } from './listing-error.js';
import { parseFfmpegFormatList, parseV4l2Listing } from './v4l2-listing.js';

const PARSERS: Record<string, (text: string) => unknown> = {
  parseV4l2Listing,
  parseFfmpegFormatList,
  parseArecordList,
  parseHwParams,
};

/** Beginnings of real listing lines, so that garbage reaches the entry parsers. */
const PREFIXES = [
  'ioctl: VIDIOC_ENUM_FMT',
  "\t[0]: 'MJPG' (",
  '\t[',
  '\t\tSize: Discrete ',
  '\t\tSize: Stepwise ',
  '\t\t\tInterval: Discrete ',
  '\t\t\tInterval: Continuous ',
  'Driver Info:',
  '\tDevice Caps      : ',
  '[video4linux2,v4l2 @ 0x1] Raw       : ',
  '[video4linux2,v4l2 @ 0x1] Compressed: mjpeg : Motion-JPEG : ',
  'card ',
  'card 1: C920 [',
  '  Subdevices: ',
  'HW Params of device "',
  'RATE: ',
  'CHANNELS: ',
  'FORMAT: ',
  '',
];

const ALPHABET = "abcXYZ019 :[]()'{}-,x.\t\u00e4\u0000";

/** A small linear congruential generator, so that every run gets the same garbage. */
function randomSource(seed: number): () => number {
  let state = seed;

  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;

    return state / 2147483648;
  };
}

function garbageTexts(count: number): string[] {
  const random = randomSource(20240601);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const texts: string[] = [];

  for (let text = 0; text < count; text++) {
    const lines: string[] = [];
    const lineCount = 1 + Math.floor(random() * 8);

    for (let line = 0; line < lineCount; line++) {
      let tail = '';
      const tailLength = Math.floor(random() * 24);

      for (let character = 0; character < tailLength; character++) tail += pick([...ALPHABET]);
      lines.push(pick(PREFIXES) + tail);
    }
    texts.push(lines.join('\n'));
  }

  return texts;
}

describe('device listing parsers', () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    it(`${name} accepts empty input`, () => {
      expect(() => parse('')).not.toThrow();
    });

    it(`${name} names the line of garbage`, () => {
      for (const text of garbageTexts(400)) {
        let error: unknown;

        try {
          parse(text);
        } catch (caught) {
          error = caught;
        }
        if (error === undefined) continue;

        expect(error, text).toBeInstanceOf(DeviceListingError);
        expect((error as Error).message, text).toMatch(/^Invalid .+ line \d+: .+: ".*"$/s);
      }
    });
  }

  it('finds no entries in binary noise', () => {
    const noise = '\u0000\u0001\u00ff\ufffd'.repeat(50);

    expect(parseV4l2Listing(noise).formats).toEqual([]);
    expect(parseFfmpegFormatList(noise).formats).toEqual([]);
    expect(parseArecordList(noise)).toEqual([]);
    expect(parseHwParams(noise).formats).toEqual([]);
  });
});
