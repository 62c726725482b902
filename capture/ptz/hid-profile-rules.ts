import type { BYTE_COMMANDS } from './hid-profile-schema.js';
import type { PtzCommand } from './ptz-driver.js';
import type { IntegerRange } from './ptz-values.js';
import { VISCA_MAX_COMMAND_LENGTH } from './visca.js';

type ByteCommand = (typeof BYTE_COMMANDS)[number];

/** A profile object as the schema admits it, before the hex strings are parsed. */
export type RawHidProfile = {
  name: string;
  notes: string;
  vendorId: string;
  productId: string;
  usagePage: string;
  usage: string;
  reportId: string;
  reportLength: number;
  repeatMs?: number;
  panSpeed?: IntegerRange;
  tiltSpeed?: IntegerRange;
  presets?: IntegerRange;
  commands?: Partial<Record<ByteCommand, string>>;
  visca?: { address: number; layout: string; commands: PtzCommand[]; zoomSpeed?: number };
};

/** The commands each placeholder may appear in, and the range field that gives its values. */
const PLACEHOLDERS = [
  { token: '{panSpeed}', range: 'panSpeed', allowedIn: ['panLeft', 'panRight', 'panTiltStop'] },
  { token: '{tiltSpeed}', range: 'tiltSpeed', allowedIn: ['tiltUp', 'tiltDown', 'panTiltStop'] },
  { token: '{preset}', range: 'presets', allowedIn: ['presetRecall', 'presetSave'] },
] as const;

/** Commands that come in pairs, one for each direction. */
const PAIRS = [
  ['panLeft', 'panRight'],
  ['tiltUp', 'tiltDown'],
  ['zoomIn', 'zoomOut'],
] as const;

function findRangeProblems(raw: RawHidProfile): string[] {
  const problems: string[] = [];

  for (const field of ['panSpeed', 'tiltSpeed', 'presets'] as const) {
    const range = raw[field];

    if (range && range.min > range.max) {
      problems.push(`field "${field}" has min ${range.min} greater than max ${range.max}`);
    }
  }

  return problems;
}

function findPlaceholderProblems(commands: Partial<Record<ByteCommand, string>>, raw: RawHidProfile): string[] {
  const problems: string[] = [];

  for (const { token, range, allowedIn } of PLACEHOLDERS) {
    const users = Object.entries(commands).filter(([, bytes]) => bytes.split(' ').includes(token));

    for (const [name] of users) {
      if (!(allowedIn as readonly string[]).includes(name)) {
        problems.push(`field "commands.${name}" contains ${token}, which only ${allowedIn.join(', ')} may contain`);
      }
    }
    if (users.length > 0 && raw[range] === undefined) {
      problems.push(
        `missing field "${range}": ${token} is used, so the profile must give its range {"min": N, "max": N}`,
      );
    }
    if (users.length === 0 && raw[range] !== undefined) {
      problems.push(`field "${range}" is set but no command contains ${token}`);
    }
  }
  for (const name of ['presetRecall', 'presetSave'] as const) {
    const bytes = commands[name];

    if (bytes !== undefined && !bytes.split(' ').includes('{preset}')) {
      problems.push(`field "commands.${name}" must contain {preset} where the preset number goes`);
    }
  }

  return problems;
}

function findByteProblems(commands: Partial<Record<ByteCommand, string>>, raw: RawHidProfile): string[] {
  const problems: string[] = [];
  const room = raw.reportLength - 1;

  for (const [first, second] of PAIRS) {
    if ((commands[first] === undefined) !== (commands[second] === undefined)) {
      const [present, absent] = commands[first] === undefined ? [second, first] : [first, second];

      problems.push(`field "commands.${present}" is set but "commands.${absent}" is missing; give both or neither`);
    }
  }

  const moves = commands.panLeft !== undefined || commands.tiltUp !== undefined;
  const zooms = commands.zoomIn !== undefined;

  if (raw.repeatMs === undefined && moves && commands.panTiltStop === undefined) {
    problems.push(
      'missing field "repeatMs": there is no "commands.panTiltStop", so a held pan or tilt repeats its step; ' +
        'give the repeat interval in milliseconds',
    );
  }
  if (raw.repeatMs === undefined && zooms && commands.zoomStop === undefined) {
    problems.push(
      'missing field "repeatMs": there is no "commands.zoomStop", so a held zoom repeats its step; ' +
        'give the repeat interval in milliseconds',
    );
  }
  for (const [name, bytes] of Object.entries(commands)) {
    const length = bytes.split(' ').length;

    if (length > room) {
      problems.push(
        `field "commands.${name}" has ${length} bytes; a ${raw.reportLength}-byte report holds ${room} ` +
          'after the report id',
      );
    }
  }

  return [...problems, ...findPlaceholderProblems(commands, raw)];
}

function findViscaProblems(visca: NonNullable<RawHidProfile['visca']>, raw: RawHidProfile): string[] {
  const problems: string[] = [];
  const tokens = visca.layout.split(' ');
  const packets = tokens.filter((token) => token === '{packet}').length;
  // The report id, the layout's bytes besides {packet}, and the longest packet.
  const needed = 1 + (tokens.length - 1) + VISCA_MAX_COMMAND_LENGTH;

  for (const field of ['repeatMs', 'panSpeed', 'tiltSpeed', 'presets'] as const) {
    if (raw[field] !== undefined) {
      problems.push(
        `field "${field}" applies only to profiles with "commands"; VISCA has its own stops, speeds and presets`,
      );
    }
  }
  if (packets !== 1) {
    problems.push(`field "visca.layout" must contain {packet} exactly once, found ${packets}`);
  } else if (needed > raw.reportLength) {
    problems.push(
      `field "reportLength" is ${raw.reportLength}; the layout "${visca.layout}" needs ${needed} bytes ` +
        `for the longest VISCA command (${VISCA_MAX_COMMAND_LENGTH} bytes) with the report id`,
    );
  }

  return problems;
}

/** Returns the problems that involve more than one field of a profile the schema admitted. */
export function findCrossFieldProblems(raw: RawHidProfile): string[] {
  if (raw.commands && raw.visca) {
    return ['fields "commands" and "visca" are both set; a profile has one of them'];
  }
  if (raw.visca) return [...findRangeProblems(raw), ...findViscaProblems(raw.visca, raw)];
  if (raw.commands) return [...findRangeProblems(raw), ...findByteProblems(raw.commands, raw)];

  return [
    'missing field "commands" or "visca": give "commands" for a camera with its own command bytes, ' +
      'or "visca" for one that takes VISCA packets',
  ];
}
