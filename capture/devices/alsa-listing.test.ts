import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../appliance/http/page-routes.js';
import {
  alsaDeviceName,
  intervalContains,
  mayBeDuplicateCardId,
  parseArecordList,
  parseHwParams,
  type AlsaCard,
} from './alsa-listing.js';
import { DeviceListingError } from './listing-error.js';

function fixture(name: string): string {
  return readFileSync(join(projectRoot(), 'test', 'fixtures', 'devices', name), 'utf8');
}

const ARECORD_LIST = 'arecord-l-webcam-mics-and-usb-mic.txt';
const USB_MIC = 'arecord-dump-usb-mic-s24le-mono.txt';
const WEBCAM_MIC = 'arecord-dump-webcam-mic-lifecam-hd3000.txt';

function deviceNames(cards: AlsaCard[]): string[] {
  return cards.flatMap((card) => card.devices.map((device) => alsaDeviceName('hw', card.id, device.number)));
}

describe('parseArecordList', () => {
  it('reads the card ids', () => {
    const cards = parseArecordList(fixture(ARECORD_LIST));

    expect(cards.map((card) => card.id)).toEqual(['PCH', 'C920', 'StreamCam', 'ATR2USB_1', 'Loopback']);
  });

  it('reads card numbers with gaps', () => {
    const cards = parseArecordList(fixture(ARECORD_LIST));

    // arecord -l lists only cards that can capture, so playback-only cards leave gaps.
    expect(cards.map((card) => card.number)).toEqual([0, 1, 3, 4, 9]);
  });

  it('keeps card names apart from ids', () => {
    const cards = parseArecordList(fixture(ARECORD_LIST));

    expect(cards[1]?.name).toBe('HD Pro Webcam C920');
    expect(cards[3]?.id).toBe('ATR2USB_1');
    expect(cards[3]?.name).toBe('ATR2USB');
  });

  it('groups the devices of one card', () => {
    const loopback = parseArecordList(fixture(ARECORD_LIST)).find((card) => card.id === 'Loopback');

    expect(loopback?.devices.map((device) => device.number)).toEqual([0, 1]);
  });

  it('reads device ids and subdevices', () => {
    const [pch] = parseArecordList(fixture(ARECORD_LIST));

    expect(pch?.devices).toEqual([
      { number: 0, id: 'ALC298 Analog', name: 'ALC298 Analog', subdevicesAvailable: 1, subdevicesTotal: 1 },
    ]);
  });

  it('builds device names by card id', () => {
    expect(deviceNames(parseArecordList(fixture(ARECORD_LIST)))).toEqual([
      'hw:CARD=PCH,DEV=0',
      'hw:CARD=C920,DEV=0',
      'hw:CARD=StreamCam,DEV=0',
      'hw:CARD=ATR2USB_1,DEV=0',
      'hw:CARD=Loopback,DEV=0',
      'hw:CARD=Loopback,DEV=1',
    ]);
  });

  it('keeps device names when cards renumber', () => {
    const original = fixture(ARECORD_LIST);
    const renumbered = original.replace(/^card (\d+):/gm, (_line, number: string) => `card ${Number(number) + 2}:`);
    const cards = parseArecordList(renumbered);

    expect(cards.map((card) => card.number)).toEqual([2, 3, 5, 6, 11]);
    expect(deviceNames(cards)).toEqual(deviceNames(parseArecordList(original)));
  });

  it('rejects a malformed card line by number', () => {
    const text = '**** List of CAPTURE Hardware Devices ****\ncard 1: C920 HD Pro Webcam C920, device 0: USB Audio';
    let error: unknown;

    try {
      parseArecordList(text);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(DeviceListingError);
    expect((error as DeviceListingError).lineNumber).toBe(2);
    expect((error as Error).message).toContain('line 2');
  });

  it('rejects an invalid card id', () => {
    const text = 'card 1: C9,20 [HD Pro Webcam C920], device 0: USB Audio [USB Audio]';

    expect(() => parseArecordList(text)).toThrow(/line 1: card id C9,20 is not a valid ALSA card id/);
  });

  it('returns no cards for empty input', () => {
    expect(parseArecordList('')).toEqual([]);
  });

  it('returns no cards without sound cards', () => {
    expect(parseArecordList('arecord: device_list:274: no soundcards found...\n')).toEqual([]);
  });

  it('returns no cards for translated output', () => {
    // arecord under a German locale. The caller runs it with LC_ALL=C to avoid this.
    const text = 'Karte 1: C920 [HD Pro Webcam C920], Gerät 0: USB Audio [USB Audio]\n  Sub-Geräte: 1/1';

    expect(parseArecordList(text)).toEqual([]);
  });
});

describe('alsaDeviceName', () => {
  it('builds hw and plughw names', () => {
    expect(alsaDeviceName('hw', 'C920', 0)).toBe('hw:CARD=C920,DEV=0');
    expect(alsaDeviceName('plughw', 'ATR2USB_1', 0)).toBe('plughw:CARD=ATR2USB_1,DEV=0');
  });

  it('rejects an id that breaks the name', () => {
    expect(() => alsaDeviceName('hw', 'C920,DEV=1', 0)).toThrow(/Invalid ALSA card id "C920,DEV=1"/);
  });

  it('rejects a negative device number', () => {
    expect(() => alsaDeviceName('hw', 'C920', -1)).toThrow(/Invalid ALSA device number -1/);
  });
});

describe('mayBeDuplicateCardId', () => {
  it('flags a kernel suffix', () => {
    expect(mayBeDuplicateCardId('ATR2USB_1')).toBe(true);
    expect(mayBeDuplicateCardId('Camera_A')).toBe(true);
  });

  it('passes plain ids', () => {
    expect(mayBeDuplicateCardId('C920')).toBe(false);
    expect(mayBeDuplicateCardId('StreamCam')).toBe(false);
  });
});

describe('parseHwParams', () => {
  it('reads the 24-bit USB mic', () => {
    const params = parseHwParams(fixture(USB_MIC));

    expect(params.device).toBe('hw:1,0');
    expect(params.access).toEqual(['MMAP_INTERLEAVED', 'RW_INTERLEAVED']);
    expect(params.formats).toEqual(['S24_3LE']);
    expect(params.sampleBits).toEqual({ min: 24, max: 24, openMin: false, openMax: false });
    expect(params.channels).toEqual({ min: 1, max: 1, openMin: false, openMax: false });
    expect(params.rate).toEqual({ min: 48000, max: 48000, openMin: false, openMax: false });
  });

  it('keeps arecord messages', () => {
    const params = parseHwParams(fixture(USB_MIC));

    expect(params.messages).toEqual(['arecord: set_params:1343: Sample format non available']);
  });

  it('reads the webcam mic', () => {
    const params = parseHwParams(fixture(WEBCAM_MIC));

    expect(params.formats).toEqual(['S8', 'S16_LE']);
    expect(params.channels).toEqual({ min: 1, max: 1, openMin: false, openMax: false });
    expect(params.rate).toEqual({ min: 8000, max: 48000, openMin: false, openMax: false });
  });

  it('reads open bounds, ALL and NONE', () => {
    const params = parseHwParams('CHANNELS: (1 2]\nRATE: ALL\nSAMPLE_BITS: NONE\n');

    expect(params.channels).toEqual({ min: 1, max: 2, openMin: true, openMax: false });
    expect(params.rate).toEqual({ min: 0, max: 4294967295, openMin: false, openMax: false });
    expect(params.sampleBits).toBeNull();
  });

  it('rejects an unreadable rate by line', () => {
    expect(() => parseHwParams('HW Params of device "hw:1,0":\nRATE: fast\n')).toThrow(/line 2: expected a value/);
  });

  it('returns empty parameters for empty input', () => {
    expect(parseHwParams('')).toEqual({
      device: null,
      access: [],
      formats: [],
      sampleBits: null,
      channels: null,
      rate: null,
      messages: [],
    });
  });

  it('keeps an open error', () => {
    const params = parseHwParams('arecord: main:831: audio open error: Device or resource busy\n');

    expect(params.formats).toEqual([]);
    expect(params.messages).toEqual(['arecord: main:831: audio open error: Device or resource busy']);
  });
});

describe('intervalContains', () => {
  it('respects open and closed bounds', () => {
    const interval = { min: 1, max: 2, openMin: true, openMax: false };

    expect(intervalContains(interval, 1)).toBe(false);
    expect(intervalContains(interval, 2)).toBe(true);
    expect(intervalContains({ ...interval, openMax: true }, 2)).toBe(false);
  });

  it('contains nothing for a missing interval', () => {
    expect(intervalContains(null, 48000)).toBe(false);
  });
});
