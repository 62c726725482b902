import { Ajv } from 'ajv';
import {
  describeSchemaError,
  parseHex,
  parseIdentity,
  ProfileError,
  readProfileJson,
  type ProfileIdentity,
} from './hid-profile.js';
import { hex16, hex8 } from './hid-profile-schema.js';
import type { Direction } from './ptz-values.js';

/** Actions of joystick or keypad buttons: moves and zooms last while held, home and presets act when pressed. */
export const INPUT_ACTIONS = [
  'panLeft',
  'panRight',
  'tiltUp',
  'tiltDown',
  'zoomIn',
  'zoomOut',
  'home',
  'preset1',
  'preset2',
  'preset3',
  'preset4',
  'preset5',
  'preset6',
] as const;

export type InputAction = (typeof INPUT_ACTIONS)[number];

export const INPUT_AXES = ['pan', 'tilt', 'zoom'] as const;

export type InputAxisName = (typeof INPUT_AXES)[number];

/** One byte of the input report read as an axis from 0 to 255. */
export type InputAxis = { byte: number; center: number; deadZone: number; invert: boolean };

/** One button: pressed while (report[byte] & mask) === value. */
export type InputButton = { byte: number; mask: number; value: number };

/** A USB joystick or keypad that steers the PTZ camera, read through its HID input reports. */
export type InputProfile = ProfileIdentity & {
  axes: Partial<Record<InputAxisName, InputAxis>>;
  buttons: Partial<Record<InputAction, InputButton>>;
};

/** The input device's request now: directions of pan (1 right), tilt (1 up), zoom (1 in), and pressed buttons. */
export type InputState = { pan: Direction; tilt: Direction; zoom: Direction; pressed: ReadonlySet<InputAction> };

const byteIndex = {
  type: 'integer',
  minimum: 0,
  maximum: 63,
  description: 'the index of a byte in the input report, from 0 to 63 (0 is the report id on devices with numbered reports)',
};

const axisSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['byte', 'center', 'deadZone'],
  description: 'an object {"byte": N, "center": N, "deadZone": N, "invert": false}',
  properties: {
    byte: byteIndex,
    center: { type: 'integer', minimum: 0, maximum: 255, description: 'the value at rest, an integer from 0 to 255' },
    deadZone: {
      type: 'integer',
      minimum: 0,
      maximum: 127,
      description: 'how far from center the value may be without a move, an integer from 0 to 127',
    },
    invert: {
      type: 'boolean',
      description: 'true when values above center mean left, down or zoom out',
    },
  },
};

const buttonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['byte', 'mask'],
  description: 'an object {"byte": N, "mask": "0x01"} with an optional "value"',
  properties: {
    byte: byteIndex,
    mask: { ...hex8, description: 'the bits of the byte that belong to the button, such as "0x20"' },
    value: {
      ...hex8,
      description: 'the masked bits while the button is held, such as "0x06" for a hat switch; the mask when left out',
    },
  },
};

export const inputProfileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'notes', 'vendorId', 'productId', 'usagePage', 'usage'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 80, description: 'the device model, 1 to 80 characters' },
    notes: { type: 'string', description: 'where the values come from and what was tested on site' },
    vendorId: hex16,
    productId: hex16,
    usagePage: hex16,
    usage: hex16,
    axes: {
      type: 'object',
      additionalProperties: false,
      description: 'an object with pan, tilt and zoom axes',
      properties: Object.fromEntries(INPUT_AXES.map((name) => [name, axisSchema])),
    },
    buttons: {
      type: 'object',
      additionalProperties: false,
      description: `an object with buttons named ${INPUT_ACTIONS.join(', ')}`,
      properties: Object.fromEntries(INPUT_ACTIONS.map((name) => [name, buttonSchema])),
    },
  },
};

type RawButton = { byte: number; mask: string; value?: string };

type RawInputProfile = {
  name: string;
  notes: string;
  vendorId: string;
  productId: string;
  usagePage: string;
  usage: string;
  axes?: Partial<Record<InputAxisName, Omit<InputAxis, 'invert'> & { invert?: boolean }>>;
  buttons?: Partial<Record<InputAction, RawButton>>;
};

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
const validateSchema = ajv.compile<RawInputProfile>(inputProfileSchema);
const KIND = 'input profile';

/** Validates a parsed input profile and returns it with numbers in place of hex strings. Throws ProfileError. */
export function parseInputProfile(raw: unknown, source: string): InputProfile {
  if (!validateSchema(raw)) {
    throw new ProfileError(source, (validateSchema.errors ?? []).map(describeSchemaError), KIND);
  }

  const problems: string[] = [];
  const buttons: Partial<Record<InputAction, InputButton>> = {};
  const axes: Partial<Record<InputAxisName, InputAxis>> = {};

  for (const [name, button] of Object.entries(raw.buttons ?? {}) as [InputAction, RawButton][]) {
    const mask = parseHex(button.mask);
    const value = button.value === undefined ? mask : parseHex(button.value);

    if (mask === 0) problems.push(`field "buttons.${name}.mask" is 0x0; expected at least one bit`);
    if ((value & ~mask) !== 0) {
      problems.push(`field "buttons.${name}.value" has bits outside mask ${button.mask}; expected bits of the mask only`);
    }
    buttons[name] = { byte: button.byte, mask, value };
  }
  for (const [name, axis] of Object.entries(raw.axes ?? {}) as [InputAxisName, InputAxis][]) {
    axes[name] = { ...axis, invert: axis.invert ?? false };
  }
  if (Object.keys(axes).length === 0 && Object.keys(buttons).length === 0) {
    problems.push('the profile has neither axes nor buttons; expected at least one of them');
  }
  if (problems.length > 0) throw new ProfileError(source, problems, KIND);

  return { ...parseIdentity(raw, source), axes, buttons };
}

/** Reads and validates an input profile file, or throws ProfileError naming the file. */
export function loadInputProfile(path: string): InputProfile {
  return parseInputProfile(readProfileJson(path, KIND), path);
}

/** Returns the direction of an axis: 0 inside the dead zone, 1 above it (-1 when inverted). */
function axisDirection(report: Uint8Array, axis: InputAxis | undefined): Direction {
  const value = axis ? report[axis.byte] : undefined;

  if (axis === undefined || value === undefined) return 0;

  const offset = value - axis.center;

  if (Math.abs(offset) <= axis.deadZone) return 0;

  const direction = offset > 0 ? 1 : -1;

  return axis.invert ? (-direction as Direction) : direction;
}

function buttonHeld(report: Uint8Array, button: InputButton): boolean {
  const value = report[button.byte];

  return value !== undefined && (value & button.mask) === button.value;
}

/** Combines an axis direction with a pair of buttons; the axis wins when deflected, and opposite buttons cancel. */
function combine(axis: Direction, negative: boolean, positive: boolean): Direction {
  if (axis !== 0) return axis;

  return ((positive ? 1 : 0) - (negative ? 1 : 0)) as Direction;
}

/**
 * Reads the request in one input report. A mapping whose byte lies beyond
 * the end of a short report counts as at rest.
 */
export function readInputReport(profile: InputProfile, report: Uint8Array): InputState {
  const pressed = new Set<InputAction>();

  for (const [name, button] of Object.entries(profile.buttons) as [InputAction, InputButton][]) {
    if (buttonHeld(report, button)) pressed.add(name);
  }

  return {
    pan: combine(axisDirection(report, profile.axes.pan), pressed.has('panLeft'), pressed.has('panRight')),
    tilt: combine(axisDirection(report, profile.axes.tilt), pressed.has('tiltDown'), pressed.has('tiltUp')),
    zoom: combine(axisDirection(report, profile.axes.zoom), pressed.has('zoomOut'), pressed.has('zoomIn')),
    pressed,
  };
}
