import { describe, expect, it } from 'vitest';
import { ProfileError } from './hid-profile.js';
import { loadInputProfile, parseInputProfile, readInputReport } from './input-profile.js';
import { INPUT_PROFILES_DIR, resolveProfilePath } from './profile-path.js';

const F310_PATH = resolveProfilePath('logitech-f310-directinput', INPUT_PROFILES_DIR);

const MINIMAL = {
  name: 'Test keypad',
  notes: 'made up for tests',
  vendorId: '0x1234',
  productId: '0x5678',
  usagePage: '0xff00',
  usage: '0x01',
};

/** Returns the problems of the ProfileError that parsing throws, or fails the test. */
function problemsOf(raw: unknown): string[] {
  try {
    parseInputProfile(raw, 'test.json');
  } catch (error) {
    if (error instanceof ProfileError) return error.problems;
    throw error;
  }
  throw new Error('expected a ProfileError, but parsing returned');
}

describe('logitech-f310-directinput.json', () => {
  const profile = loadInputProfile(F310_PATH);

  it('matches the joystick interface', () => {
    expect(profile.vendorId).toBe(0x046d);
    expect(profile.productId).toBe(0xc216);
    expect(profile.usagePage).toBe(0x01);
    expect(profile.usage).toBe(0x04);
  });

  it('says it is unverified', () => {
    expect(profile.notes).toContain('Not verified on a real gamepad');
  });

  it('maps all six presets', () => {
    expect(Object.keys(profile.buttons)).toEqual(
      expect.arrayContaining(['preset1', 'preset2', 'preset3', 'preset4', 'preset5', 'preset6', 'home']),
    );
  });

  it('reads a report at rest as no command', () => {
    const state = readInputReport(profile, Buffer.from([0x80, 0x7f, 0x80, 0x80, 0x08, 0x00, 0x04, 0xff]));

    expect(state).toEqual({ pan: 0, tilt: 0, zoom: 0, pressed: new Set() });
  });

  it('reads D-pad left and button A', () => {
    const state = readInputReport(profile, Buffer.from([0x80, 0x80, 0x80, 0x80, 0x26, 0x00, 0x04, 0xff]));

    expect(state.pan).toBe(-1);
    expect([...state.pressed].sort()).toEqual(['panLeft', 'preset2']);
  });

  it('reads a short report as at rest', () => {
    expect(readInputReport(profile, Buffer.from([0x80]))).toEqual({ pan: 0, tilt: 0, zoom: 0, pressed: new Set() });
  });
});

describe('parseInputProfile', () => {
  it('accepts a keypad with buttons only', () => {
    const profile = parseInputProfile({ ...MINIMAL, buttons: { zoomIn: { byte: 1, mask: '0x04' } } }, 'test.json');

    expect(profile.buttons.zoomIn).toEqual({ byte: 1, mask: 0x04, value: 0x04 });
    expect(readInputReport(profile, Buffer.from([0x00, 0x05])).zoom).toBe(1);
  });

  it('inverts an axis', () => {
    const profile = parseInputProfile(
      { ...MINIMAL, axes: { zoom: { byte: 0, center: 0, deadZone: 10, invert: true } } },
      'test.json',
    );

    expect(readInputReport(profile, Buffer.from([200])).zoom).toBe(-1);
  });

  it('rejects profile without mappings', () => {
    expect(problemsOf(MINIMAL)).toEqual(['the profile has neither axes nor buttons; expected at least one of them']);
  });

  it('rejects value outside mask', () => {
    expect(problemsOf({ ...MINIMAL, buttons: { home: { byte: 0, mask: '0x0f', value: '0x10' } } })).toEqual([
      'field "buttons.home.value" has bits outside mask 0x0f; expected bits of the mask only',
    ]);
  });

  it('names unknown button', () => {
    expect(problemsOf({ ...MINIMAL, buttons: { preset7: { byte: 0, mask: '0x01' } } })[0]).toMatch(
      /^unknown field "buttons\.preset7"; allowed fields here: panLeft, panRight/,
    );
  });

  it('names bad dead zone', () => {
    expect(problemsOf({ ...MINIMAL, axes: { pan: { byte: 0, center: 128, deadZone: 200 } } })).toEqual([
      'field "axes.pan.deadZone" has value 200; expected how far from center the value may be without a move, ' +
        'an integer from 0 to 127',
    ]);
  });

  it('names the file and kind', () => {
    expect(() => loadInputProfile('/nonexistent/pad.json')).toThrow(
      'invalid input profile /nonexistent/pad.json:\n  - cannot read the file (ENOENT)',
    );
  });
});
