/**
 * JSON schema of a HID camera profile file. Error messages show each
 * description as the allowed value. docs/ptz.md explains the fields.
 */

/** Command names of a byte profile, each with the bytes to place after the report id. */
export const BYTE_COMMANDS = [
  'panLeft',
  'panRight',
  'tiltUp',
  'tiltDown',
  'panTiltStop',
  'zoomIn',
  'zoomOut',
  'zoomStop',
  'home',
  'presetRecall',
  'presetSave',
] as const;

export const hex16 = {
  type: 'string',
  pattern: '^0x[0-9a-fA-F]{1,4}$',
  description: 'a hexadecimal number from 0x0 to 0xffff as a string, such as "0x046d"',
};

export const hex8 = {
  type: 'string',
  pattern: '^0x[0-9a-fA-F]{1,2}$',
  description: 'a hexadecimal byte from 0x0 to 0xff as a string, such as "0x0b"',
};

const byteToken = '(?:[0-9a-fA-F]{2}|\\{(?:panSpeed|tiltSpeed|preset)\\})';

const byteTemplate = {
  type: 'string',
  pattern: `^${byteToken}(?: ${byteToken})*$`,
  description:
    'hexadecimal bytes separated by single spaces, such as "03" or "01 {panSpeed}", ' +
    'with the placeholders {panSpeed}, {tiltSpeed} and {preset}',
};

const layoutToken = '(?:[0-9a-fA-F]{2}|\\{packet\\}|\\{packetLength\\})';

const viscaLayout = {
  type: 'string',
  pattern: `^${layoutToken}(?: ${layoutToken})*$`,
  description:
    'the bytes after the report id, separated by single spaces: {packet} for the VISCA packet, ' +
    '{packetLength} for its length in bytes, and hexadecimal bytes, such as "{packet}" or "{packetLength} {packet}"',
};

const integerRange = (limit: number, meaning: string) => ({
  type: 'object',
  additionalProperties: false,
  required: ['min', 'max'],
  description: `an object {"min": N, "max": N} of ${meaning}`,
  properties: {
    min: { type: 'integer', minimum: 0, maximum: limit, description: `an integer from 0 to ${limit}` },
    max: { type: 'integer', minimum: 0, maximum: limit, description: `an integer from 0 to ${limit}` },
  },
});

export const hidProfileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'notes', 'vendorId', 'productId', 'usagePage', 'usage', 'reportId', 'reportLength'],
  description: 'a JSON object with the fields that docs/ptz.md lists',
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 80,
      pattern: '^(?!FILL IN)',
      description: "the camera model, 1 to 80 characters, in place of the template's FILL IN text",
    },
    notes: { type: 'string', description: 'text: where the bytes come from and what has been verified' },
    vendorId: hex16,
    productId: hex16,
    usagePage: hex16,
    usage: hex16,
    reportId: hex8,
    reportLength: {
      type: 'integer',
      minimum: 2,
      maximum: 1024,
      description: 'the output report length in bytes, report id included: an integer from 2 to 1024',
    },
    repeatMs: {
      type: 'integer',
      minimum: 20,
      maximum: 2000,
      description: 'the interval in milliseconds at which a held move repeats its step: an integer from 20 to 2000',
    },
    panSpeed: integerRange(255, 'pan speeds for {panSpeed}'),
    tiltSpeed: integerRange(255, 'tilt speeds for {tiltSpeed}'),
    presets: integerRange(255, 'preset numbers for {preset}'),
    commands: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      description: `an object with at least one of ${BYTE_COMMANDS.join(', ')}`,
      properties: Object.fromEntries(BYTE_COMMANDS.map((name) => [name, byteTemplate])),
    },
    visca: {
      type: 'object',
      additionalProperties: false,
      required: ['address', 'layout', 'commands'],
      description: 'an object with address, layout, commands and optionally zoomSpeed',
      properties: {
        address: { type: 'integer', minimum: 1, maximum: 7, description: 'the VISCA camera address, 1 to 7' },
        layout: viscaLayout,
        commands: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          description: 'a list of distinct commands from pan, tilt, zoom, home, presetRecall, presetSave',
          items: {
            type: 'string',
            enum: ['pan', 'tilt', 'zoom', 'home', 'presetRecall', 'presetSave'],
            description: 'one of pan, tilt, zoom, home, presetRecall, presetSave',
          },
        },
        zoomSpeed: {
          type: 'integer',
          minimum: 0,
          maximum: 7,
          description: 'the variable zoom speed 0 to 7, or no zoomSpeed field for the standard zoom speed',
        },
      },
    },
  },
} as const;
