import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { findCrossFieldProblems, type RawHidProfile } from './hid-profile-rules.js';
import { BYTE_COMMANDS, hidProfileSchema } from './hid-profile-schema.js';
import { PTZ_COMMANDS, unsupportedCommandError, type PtzCapabilities, type PtzCommand } from './ptz-driver.js';
import { checkInteger, type IntegerRange } from './ptz-values.js';
import { VISCA_MEMORY, VISCA_PAN_SPEED, VISCA_TILT_SPEED } from './visca.js';

export type ByteCommand = (typeof BYTE_COMMANDS)[number];

/** A value that a command's bytes take from the request: a speed or a preset number. */
export type BytePlaceholder = 'panSpeed' | 'tiltSpeed' | 'preset';

/** The bytes of one command after the report id, with placeholders for request values. */
export type ByteTemplate = readonly (number | BytePlaceholder)[];

/** The bytes after the report id of a VISCA profile, around the VISCA packet. */
export type ViscaLayout = readonly (number | 'packet' | 'packetLength')[];

/** The fields every profile file has: camera and input profiles alike. */
export type ProfileIdentity = {
  name: string;
  notes: string;
  /** The file the profile came from, for messages. */
  source: string;
  vendorId: number;
  productId: number;
  usagePage: number;
  usage: number;
};

type HidProfileBase = ProfileIdentity & {
  /** First byte of every output report, 0 for a device without numbered reports. */
  reportId: number;
  /** Output report length in bytes, report id included. Reports are zero-padded to it. */
  reportLength: number;
};

/** A camera that takes its own command bytes in HID output reports. */
export type ByteHidProfile = HidProfileBase & {
  kind: 'bytes';
  commands: Partial<Record<ByteCommand, ByteTemplate>>;
  /** Interval of the step repeats while a move or zoom is held, for cameras whose commands are single steps. */
  repeatMs?: number;
  panSpeed?: IntegerRange;
  tiltSpeed?: IntegerRange;
  presets?: IntegerRange;
};

/** A camera that takes VISCA command packets inside HID output reports. */
export type ViscaHidProfile = HidProfileBase & {
  kind: 'visca';
  visca: {
    address: number;
    layout: ViscaLayout;
    commands: readonly PtzCommand[];
    /** Variable zoom speed 0–7, or undefined for the standard zoom commands. */
    zoomSpeed?: number;
  };
};

export type HidProfile = ByteHidProfile | ViscaHidProfile;

/** Thrown when a profile cannot be used. The message lists every problem with its field and file. */
export class ProfileError extends Error {
  readonly problems: string[];

  /** kind names the sort of profile in the message, such as "camera profile" or "input profile". */
  constructor(source: string, problems: string[], kind = 'camera profile') {
    super(`invalid ${kind} ${source}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ProfileError';
    this.problems = problems;
  }
}

type SchemaNode = { description?: string; properties?: Record<string, SchemaNode> };

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
const validateSchema = ajv.compile<RawHidProfile>(hidProfileSchema);

function fieldName(path: string[]): string {
  return path.join('.') || '(top level)';
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);

  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Describes one schema error of a profile with its field, value and the field's description. */
export function describeSchemaError(error: ErrorObject): string {
  const path = error.instancePath.split('/').filter(Boolean);
  const parent = error.parentSchema as SchemaNode | undefined;

  if (error.keyword === 'additionalProperties') {
    const field = fieldName([...path, String(error.params.additionalProperty)]);
    const allowed = Object.keys(parent?.properties ?? {}).join(', ');

    return `unknown field "${field}"; allowed fields here: ${allowed}`;
  }
  if (error.keyword === 'required') {
    const missing = String(error.params.missingProperty);
    const expected = parent?.properties?.[missing]?.description ?? 'see docs/ptz.md';

    return `missing field "${fieldName([...path, missing])}"; expected ${expected}`;
  }

  const expected = parent?.description ?? error.message ?? 'see docs/ptz.md';

  return `field "${fieldName(path)}" has value ${shortJson(error.data)}; expected ${expected}`;
}

/** Parses a schema-checked hexadecimal string such as "0x046d". */
export function parseHex(text: string): number {
  return Number.parseInt(text.slice(2), 16);
}

/** The identity fields of a schema-checked profile file, with the ids as numbers. */
export function parseIdentity(
  raw: { name: string; notes: string; vendorId: string; productId: string; usagePage: string; usage: string },
  source: string,
): ProfileIdentity {
  return {
    name: raw.name,
    notes: raw.notes,
    source,
    vendorId: parseHex(raw.vendorId),
    productId: parseHex(raw.productId),
    usagePage: parseHex(raw.usagePage),
    usage: parseHex(raw.usage),
  };
}

function parseByteTemplate(text: string): ByteTemplate {
  return text.split(' ').map((token) => {
    if (token.startsWith('{')) return token.slice(1, -1) as BytePlaceholder;

    return parseHex(`0x${token}`);
  });
}

function parseLayout(text: string): ViscaLayout {
  return text.split(' ').map((token) => {
    if (token === '{packet}') return 'packet';
    if (token === '{packetLength}') return 'packetLength';

    return parseHex(`0x${token}`);
  });
}

function toProfile(raw: RawHidProfile, source: string): HidProfile {
  const base: HidProfileBase = {
    ...parseIdentity(raw, source),
    reportId: parseHex(raw.reportId),
    reportLength: raw.reportLength,
  };

  if (raw.visca) {
    const { address, layout, commands, zoomSpeed } = raw.visca;

    return { ...base, kind: 'visca', visca: { address, layout: parseLayout(layout), commands, zoomSpeed } };
  }

  const commands: Partial<Record<ByteCommand, ByteTemplate>> = {};

  for (const [name, text] of Object.entries(raw.commands ?? {})) {
    commands[name as ByteCommand] = parseByteTemplate(text);
  }

  return {
    ...base,
    kind: 'bytes',
    commands,
    repeatMs: raw.repeatMs,
    panSpeed: raw.panSpeed,
    tiltSpeed: raw.tiltSpeed,
    presets: raw.presets,
  };
}

/**
 * Validates a parsed profile object and returns the profile with its hex
 * strings as numbers and its command bytes parsed. Throws ProfileError naming
 * each bad field and the source.
 */
export function parseProfile(raw: unknown, source: string): HidProfile {
  if (!validateSchema(raw)) {
    throw new ProfileError(source, (validateSchema.errors ?? []).map(describeSchemaError));
  }

  const problems = findCrossFieldProblems(raw);

  if (problems.length > 0) throw new ProfileError(source, problems);

  return toProfile(raw, source);
}

/** Reads and validates a profile file, or throws ProfileError naming the file. */
export function loadProfile(path: string): HidProfile {
  return parseProfile(readProfileJson(path, 'camera profile'), path);
}

/** Reads and parses a profile's JSON file, or throws ProfileError naming the file and the kind of profile. */
export function readProfileJson(path: string, kind: string): unknown {
  let text: string;

  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);

    throw new ProfileError(path, [`cannot read the file (${reason}); check the path and its permissions`], kind);
  }

  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProfileError(path, [`not valid JSON: ${(error as Error).message}`], kind);
  }
}

/** Returns what the camera of a profile supports. */
export function profileCapabilities(profile: HidProfile): PtzCapabilities {
  if (profile.kind === 'visca') {
    const supported = new Set(profile.visca.commands);

    return {
      commands: PTZ_COMMANDS.filter((command) => supported.has(command)),
      panSpeed: supported.has('pan') ? VISCA_PAN_SPEED : undefined,
      tiltSpeed: supported.has('tilt') ? VISCA_TILT_SPEED : undefined,
      presets: supported.has('presetRecall') || supported.has('presetSave') ? VISCA_MEMORY : undefined,
    };
  }

  const has = (name: ByteCommand): boolean => profile.commands[name] !== undefined;
  const supported: Record<PtzCommand, boolean> = {
    pan: has('panLeft') && has('panRight'),
    tilt: has('tiltUp') && has('tiltDown'),
    zoom: has('zoomIn') && has('zoomOut'),
    home: has('home'),
    presetRecall: has('presetRecall'),
    presetSave: has('presetSave'),
  };

  return {
    commands: PTZ_COMMANDS.filter((command) => supported[command]),
    panSpeed: profile.panSpeed,
    tiltSpeed: profile.tiltSpeed,
    presets: profile.presets,
  };
}

/** Returns a zeroed report of the profile's length with the report id in its first byte. */
function emptyReport(profile: HidProfile): Buffer {
  const report = Buffer.alloc(profile.reportLength);

  report[0] = profile.reportId;

  return report;
}

/**
 * Builds the output report of one command of a byte profile: the report id,
 * the command's bytes with each placeholder replaced by its value, and zeros
 * up to reportLength. Throws a TypeError for a command the profile lacks or a
 * placeholder without a value, and a RangeError for a value that is not a byte.
 */
export function buildReport(
  profile: ByteHidProfile,
  command: ByteCommand,
  values: Partial<Record<BytePlaceholder, number>> = {},
): Buffer {
  const template = profile.commands[command];

  if (!template) throw unsupportedCommandError(command, profile.name);

  const report = emptyReport(profile);

  template.forEach((token, index) => {
    if (typeof token === 'number') {
      report[index + 1] = token;

      return;
    }

    const value = values[token];

    if (value === undefined) {
      throw new TypeError(`command ${command} of camera profile "${profile.name}" needs a value for {${token}}`);
    }
    checkInteger(`{${token}} of command ${command}`, value, { min: 0, max: 255 });
    report[index + 1] = value;
  });

  return report;
}

/**
 * Builds the output report that carries a VISCA packet: the report id, the
 * profile's layout with {packet} and {packetLength} filled in, and zeros up
 * to reportLength. Throws a RangeError when the packet does not fit.
 */
export function buildViscaReport(profile: ViscaHidProfile, viscaPacket: Uint8Array): Buffer {
  const bytes = profile.visca.layout.flatMap((token) => {
    if (token === 'packet') return [...viscaPacket];
    if (token === 'packetLength') return [viscaPacket.length];

    return [token];
  });

  if (bytes.length + 1 > profile.reportLength) {
    throw new RangeError(
      `VISCA packet of ${viscaPacket.length} bytes does not fit the ${profile.reportLength}-byte report ` +
        `of camera profile "${profile.name}"`,
    );
  }

  const report = emptyReport(profile);

  report.set(bytes, 1);

  return report;
}
