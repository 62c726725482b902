/**
 * Parses ALSA capture listings: `arecord -l` into cards and their PCM
 * devices, and `arecord --dump-hw-params -D DEVICE` into the sample formats,
 * channel counts and rates the hardware accepts. It also builds device names
 * by card id (`hw:CARD=C920,DEV=0`), which stay the same when cards are
 * numbered in another order after a reboot. Two cards with the same id are
 * the exception, because the kernel then appends a suffix to one of them.
 * The functions only parse text, and running arecord is the caller's job.
 *
 * arecord translates its output through gettext, so the caller runs it with
 * LC_ALL=C. Lines that belong to no entry are skipped, and a line that starts
 * like an entry but cannot be read raises a DeviceListingError naming it.
 */

import { DeviceListingError, numberedLines, type ListingLine } from './listing-error.js';

/** One PCM device of a card, as `arecord -l` lists it. */
export type AlsaPcmDevice = {
  number: number;
  /** The PCM id, such as "USB Audio". */
  id: string;
  /** The PCM name in brackets. */
  name: string;
  subdevicesAvailable: number | null;
  subdevicesTotal: number | null;
};

/** A sound card with at least one capture device. */
export type AlsaCard = {
  /** The card number, which can change when devices are plugged in another order. */
  number: number;
  /** The card id, such as "C920" or "ATR2USB_1", which device names use because it does not depend on the order. */
  id: string;
  /** The card name in brackets, such as "HD Pro Webcam C920". ALSA's longname is not listed. */
  name: string;
  devices: AlsaPcmDevice[];
};

/** The ALSA plugins the capture uses: direct hardware access, or the plug layer that converts. */
export type AlsaPlugin = 'hw' | 'plughw';

const ARECORD_LIST = 'arecord -l';
const ARECORD_DUMP = 'arecord --dump-hw-params';

// aplay/aplay.c in alsa-utils prints "card %i: %s [%s], device %i: %s [%s]" through gettext.
const CARD_LINE = /^card (\d+): (\S+) \[(.*)\], device (\d+): (.*?) \[(.*)\]$/;
const SUBDEVICES_LINE = /^Subdevices: (\d+)\/(\d+)$/;

/**
 * Card ids are at most 15 characters (char id[16] in struct snd_card). The
 * kernel takes letters and digits from the card name, and an id set through
 * sysfs may also contain "_" and "-" (sound/core/init.c).
 */
const CARD_ID = /^[A-Za-z0-9_-]{1,15}$/;

/**
 * The suffix that the kernel appends ("_1" to "_F", then "_10" and on, in
 * hexadecimal) when another card already has the id.
 */
const DUPLICATE_SUFFIX = /_[0-9A-F]+$/;

/** Parses `arecord -l` output into cards, each with its capture devices. */
export function parseArecordList(text: string): AlsaCard[] {
  const cards: AlsaCard[] = [];
  let device: AlsaPcmDevice | undefined;

  for (const line of numberedLines(text)) {
    const entry = line.text.trim();

    if (entry.startsWith('card ')) {
      device = readCardLine(cards, entry, line);
      continue;
    }

    const subdevices = SUBDEVICES_LINE.exec(entry);

    if (subdevices && device) {
      device.subdevicesAvailable = Number(subdevices[1]);
      device.subdevicesTotal = Number(subdevices[2]);
    }
  }

  return cards;
}

/** Adds the device of a card line to its card, creating the card on its first line. */
function readCardLine(cards: AlsaCard[], entry: string, line: ListingLine): AlsaPcmDevice {
  const match = CARD_LINE.exec(entry);

  if (!match) {
    throw new DeviceListingError(ARECORD_LIST, line, 'expected card N: ID [name], device N: ID [name]');
  }

  const [, cardNumber, cardId, cardName, deviceNumber, deviceId, deviceName] = match as unknown as string[];

  if (!CARD_ID.test(cardId!)) {
    throw new DeviceListingError(ARECORD_LIST, line, `card id ${cardId} is not a valid ALSA card id`);
  }

  let card = cards.find((known) => known.number === Number(cardNumber));

  if (!card) {
    card = { number: Number(cardNumber), id: cardId!, name: cardName!, devices: [] };
    cards.push(card);
  }

  const device: AlsaPcmDevice = {
    number: Number(deviceNumber),
    id: deviceId!,
    name: deviceName!,
    subdevicesAvailable: null,
    subdevicesTotal: null,
  };

  card.devices.push(device);

  return device;
}

/**
 * Returns the ALSA device name of a card's PCM device by card id, such as
 * `hw:CARD=C920,DEV=0` or `plughw:CARD=C920,DEV=0`.
 */
export function alsaDeviceName(plugin: AlsaPlugin, cardId: string, device: number): string {
  if (!CARD_ID.test(cardId)) {
    throw new Error(`Invalid ALSA card id "${cardId}": expected 1 to 15 letters, digits, "_" or "-"`);
  }
  if (!Number.isInteger(device) || device < 0) {
    throw new Error(`Invalid ALSA device number ${device}: expected an integer of 0 or more`);
  }

  return `${plugin}:CARD=${cardId},DEV=${device}`;
}

/**
 * Checks whether a card id ends like a suffix that the kernel added because
 * another card had the id. Such an id can lose or change its suffix after a
 * reconnect or reboot. An id that the vendor chose with such an ending looks
 * the same, so a true result means "may change", not "will change".
 */
export function mayBeDuplicateCardId(cardId: string): boolean {
  return DUPLICATE_SUFFIX.test(cardId);
}

/**
 * A hardware parameter interval as alsa-lib prints it: "48000", "[8000 48000]",
 * or with an open bound "(1333 131072000]".
 */
export type HwInterval = { min: number; max: number; openMin: boolean; openMax: boolean };

/** The hardware parameters of one PCM device, from `arecord --dump-hw-params`. */
export type AlsaHwParams = {
  /** The device name from the "HW Params of device" line, such as "hw:1,0". */
  device: string | null;
  /** Access types such as RW_INTERLEAVED. */
  access: string[];
  /** Sample formats such as S16_LE or S24_3LE. */
  formats: string[];
  sampleBits: HwInterval | null;
  /** Channel counts, or null when not listed or NONE. */
  channels: HwInterval | null;
  /**
   * Sample rates in Hz, or null when not listed or NONE. The range can hide
   * gaps, because [44100 48000] may mean these two rates only.
   */
  rate: HwInterval | null;
  /** arecord's own error lines, such as "audio open error: Device or resource busy". */
  messages: string[];
};

/** alsa-lib's print of an interval that covers every unsigned 32-bit value. */
const ALL_VALUES: HwInterval = { min: 0, max: 4294967295, openMin: false, openMax: false };

/**
 * Parses `arecord --dump-hw-params` output. arecord prints the parameters
 * and then fails with "Sample format non available", because its default of
 * unsigned 8 bit is rarely offered. The parameters are complete all the same.
 */
export function parseHwParams(text: string): AlsaHwParams {
  const params: AlsaHwParams = {
    device: null,
    access: [],
    formats: [],
    sampleBits: null,
    channels: null,
    rate: null,
    messages: [],
  };

  for (const line of numberedLines(text)) {
    const entry = line.text.trim();
    const device = /^HW Params of device "(.*)":$/.exec(entry);

    if (device) {
      params.device = device[1]!;
      continue;
    }
    if (entry.startsWith('arecord:')) {
      params.messages.push(entry);
      continue;
    }

    const field = /^([A-Z_]+):\s*(.*)$/.exec(entry);

    if (field) readHwParamsField(params, field[1]!, field[2]!, line);
  }

  return params;
}

function readHwParamsField(params: AlsaHwParams, key: string, value: string, line: ListingLine): void {
  if (key === 'ACCESS') params.access = readNames(value, line);
  if (key === 'FORMAT') params.formats = readNames(value, line);
  if (key === 'SAMPLE_BITS') params.sampleBits = readInterval(value, line);
  if (key === 'CHANNELS') params.channels = readInterval(value, line);
  if (key === 'RATE') params.rate = readInterval(value, line);
}

function readNames(value: string, line: ListingLine): string[] {
  const names = value.split(/\s+/).filter((name) => name !== '');

  if (names.length === 0 || names.some((name) => !/^[A-Z0-9_]+$/.test(name))) {
    throw new DeviceListingError(ARECORD_DUMP, line, 'expected names such as S16_LE');
  }

  return names;
}

/** Parses an interval, or returns null for NONE (the empty interval). */
function readInterval(value: string, line: ListingLine): HwInterval | null {
  if (value === 'NONE') return null;
  if (value === 'ALL') return { ...ALL_VALUES };
  if (/^\d+$/.test(value)) return { min: Number(value), max: Number(value), openMin: false, openMax: false };

  const match = /^([[(])(\d+) (\d+)([\])])$/.exec(value);

  if (!match) {
    throw new DeviceListingError(ARECORD_DUMP, line, 'expected a value, [min max], ALL or NONE');
  }

  return { min: Number(match[2]), max: Number(match[3]), openMin: match[1] === '(', openMax: match[4] === ')' };
}

/** Returns whether an interval contains a value, respecting open bounds. */
export function intervalContains(interval: HwInterval | null, value: number): boolean {
  if (!interval) return false;

  const aboveMin = interval.openMin ? value > interval.min : value >= interval.min;
  const belowMax = interval.openMax ? value < interval.max : value <= interval.max;

  return aboveMin && belowMax;
}
