import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildReport,
  buildViscaReport,
  loadProfile,
  parseProfile,
  ProfileError,
  profileCapabilities,
  type ByteHidProfile,
  type ViscaHidProfile,
} from './hid-profile.js';
import { viscaHome } from './visca.js';

/** Returns a valid byte profile with every command, speeds and presets. */
function byteProfile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Test camera',
    notes: 'made up for tests',
    vendorId: '0x1234',
    productId: '0xABCD',
    usagePage: '0xff00',
    usage: '0x01',
    reportId: '0x02',
    reportLength: 8,
    commands: {
      panLeft: '10 {panSpeed}',
      panRight: '11 {panSpeed}',
      tiltUp: '12 {tiltSpeed}',
      tiltDown: '13 {tiltSpeed}',
      panTiltStop: '14',
      zoomIn: '20',
      zoomOut: '21',
      zoomStop: '22',
      home: '30',
      presetRecall: '40 {preset}',
      presetSave: '41 {preset}',
    },
    panSpeed: { min: 1, max: 9 },
    tiltSpeed: { min: 1, max: 5 },
    presets: { min: 1, max: 16 },
    ...overrides,
  };
}

function viscaProfile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'VISCA camera',
    notes: 'made up for tests',
    vendorId: '0x1234',
    productId: '0x5678',
    usagePage: '0xff00',
    usage: '0x01',
    reportId: '0x01',
    reportLength: 16,
    visca: { address: 1, layout: '{packetLength} {packet}', commands: ['pan', 'home'] },
    ...overrides,
  };
}

/** Returns the problems parseProfile reports, or fails when it accepts the profile. */
function problemsOf(raw: unknown): string[] {
  try {
    parseProfile(raw, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileError);

    return (error as ProfileError).problems;
  }
  expect.fail('the profile was accepted');
}

describe('parseProfile', () => {
  it('parses hex strings as numbers', () => {
    const profile = parseProfile(byteProfile(), 'test.json');

    expect(profile.vendorId).toBe(0x1234);
    expect(profile.productId).toBe(0xabcd);
    expect(profile.usagePage).toBe(0xff00);
    expect(profile.usage).toBe(0x01);
    expect(profile.reportId).toBe(0x02);
  });

  it('parses command bytes and placeholders', () => {
    const profile = parseProfile(byteProfile(), 'test.json') as ByteHidProfile;

    expect(profile.kind).toBe('bytes');
    expect(profile.commands.panLeft).toEqual([0x10, 'panSpeed']);
    expect(profile.commands.home).toEqual([0x30]);
  });

  it('parses VISCA layout', () => {
    const profile = parseProfile(viscaProfile(), 'test.json') as ViscaHidProfile;

    expect(profile.kind).toBe('visca');
    expect(profile.visca.layout).toEqual(['packetLength', 'packet']);
  });

  it('keeps source for messages', () => {
    expect(parseProfile(byteProfile(), 'profiles/x.json').source).toBe('profiles/x.json');
  });

  it('names file in message', () => {
    expect(() => parseProfile({ ...byteProfile(), vendorId: 4660 }, 'profiles/cam.json')).toThrow(
      /^invalid camera profile profiles\/cam\.json:\n  - field "vendorId" has value 4660; expected a hexadecimal/,
    );
  });

  it('names missing field', () => {
    const { usage: _usage, ...raw } = byteProfile();

    expect(problemsOf(raw)).toEqual([
      'missing field "usage"; expected a hexadecimal number from 0x0 to 0xffff as a string, such as "0x046d"',
    ]);
  });

  it('names unknown field', () => {
    expect(problemsOf(byteProfile({ vendor: '0x1' }))[0]).toMatch(
      /^unknown field "vendor"; allowed fields here: name, notes/,
    );
  });

  it('names unknown command', () => {
    const raw = byteProfile();

    (raw.commands as Record<string, string>).panleft = '01';

    expect(problemsOf(raw)[0]).toMatch(/^unknown field "commands.panleft"; allowed fields here: panLeft, panRight/);
  });

  it('names malformed command bytes', () => {
    const raw = byteProfile();

    (raw.commands as Record<string, string>).home = '3';

    expect(problemsOf(raw)).toEqual([
      'field "commands.home" has value "3"; expected hexadecimal bytes separated by single spaces, ' +
        'such as "03" or "01 {panSpeed}", with the placeholders {panSpeed}, {tiltSpeed} and {preset}',
    ]);
  });

  it('rejects unknown placeholder', () => {
    const raw = byteProfile();

    (raw.commands as Record<string, string>).home = '30 {speed}';

    expect(problemsOf(raw)[0]).toMatch(/^field "commands.home" has value "30 \{speed\}"/);
  });

  it('lists every bad field', () => {
    expect(problemsOf(byteProfile({ reportLength: 1, repeatMs: 5, name: '' }))).toHaveLength(3);
  });

  it('rejects non-object profile', () => {
    expect(problemsOf([1, 2])).toEqual([
      'field "(top level)" has value [1,2]; expected a JSON object with the fields that docs/ptz.md lists',
    ]);
  });

  it('rejects both commands and visca', () => {
    expect(problemsOf(byteProfile({ visca: viscaProfile().visca }))).toEqual([
      'fields "commands" and "visca" are both set; a profile has one of them',
    ]);
  });

  it('rejects neither commands nor visca', () => {
    const { commands: _commands, panSpeed: _p, tiltSpeed: _t, presets: _r, ...raw } = byteProfile();

    expect(problemsOf(raw)[0]).toMatch(/^missing field "commands" or "visca"/);
  });

  it('rejects half of a direction pair', () => {
    const raw = byteProfile();

    delete (raw.commands as Record<string, string>).zoomOut;

    expect(problemsOf(raw)).toEqual([
      'field "commands.zoomIn" is set but "commands.zoomOut" is missing; give both or neither',
    ]);
  });

  it('requires repeatMs without pan/tilt stop', () => {
    const raw = byteProfile();

    delete (raw.commands as Record<string, string>).panTiltStop;

    expect(problemsOf(raw)[0]).toMatch(/^missing field "repeatMs": there is no "commands.panTiltStop"/);
  });

  it('requires repeatMs without zoom stop', () => {
    const raw = byteProfile();

    delete (raw.commands as Record<string, string>).zoomStop;

    expect(problemsOf(raw)[0]).toMatch(/^missing field "repeatMs": there is no "commands.zoomStop"/);
  });

  it('accepts repeatMs in place of stops', () => {
    const raw = byteProfile({ repeatMs: 100 });

    delete (raw.commands as Record<string, string>).panTiltStop;
    delete (raw.commands as Record<string, string>).zoomStop;

    expect((parseProfile(raw, 'test.json') as ByteHidProfile).repeatMs).toBe(100);
  });

  it('rejects placeholder in wrong command', () => {
    const raw = byteProfile();

    (raw.commands as Record<string, string>).zoomIn = '20 {panSpeed}';

    expect(problemsOf(raw)).toEqual([
      'field "commands.zoomIn" contains {panSpeed}, which only panLeft, panRight, panTiltStop may contain',
    ]);
  });

  it('requires range for used placeholder', () => {
    expect(problemsOf(byteProfile({ tiltSpeed: undefined }))).toEqual([
      'missing field "tiltSpeed": {tiltSpeed} is used, so the profile must give its range {"min": N, "max": N}',
    ]);
  });

  it('rejects range nobody uses', () => {
    const raw = byteProfile();
    const commands = raw.commands as Record<string, string>;

    commands.panLeft = '10';
    commands.panRight = '11';

    expect(problemsOf(raw)).toEqual(['field "panSpeed" is set but no command contains {panSpeed}']);
  });

  it('requires preset placeholder in preset commands', () => {
    const raw = byteProfile();

    (raw.commands as Record<string, string>).presetSave = '41';

    expect(problemsOf(raw)).toEqual(['field "commands.presetSave" must contain {preset} where the preset number goes']);
  });

  it('rejects inverted range', () => {
    expect(problemsOf(byteProfile({ presets: { min: 9, max: 2 } }))).toEqual([
      'field "presets" has min 9 greater than max 2',
    ]);
  });

  it('rejects command longer than report', () => {
    const raw = byteProfile({ reportLength: 4 });

    (raw.commands as Record<string, string>).home = '30 31 32 33';

    expect(problemsOf(raw)).toEqual(['field "commands.home" has 4 bytes; a 4-byte report holds 3 after the report id']);
  });

  it('rejects repeatMs in VISCA profile', () => {
    expect(problemsOf(viscaProfile({ repeatMs: 100 }))).toEqual([
      'field "repeatMs" applies only to profiles with "commands"; VISCA has its own stops, speeds and presets',
    ]);
  });

  it('requires one packet in layout', () => {
    const visca = { address: 1, layout: '{packetLength} 00', commands: ['home'] };

    expect(problemsOf(viscaProfile({ visca }))).toEqual([
      'field "visca.layout" must contain {packet} exactly once, found 0',
    ]);
  });

  it('requires room for longest VISCA command', () => {
    expect(problemsOf(viscaProfile({ reportLength: 10 }))).toEqual([
      'field "reportLength" is 10; the layout "{packetLength} {packet}" needs 11 bytes ' +
        'for the longest VISCA command (9 bytes) with the report id',
    ]);
  });

  it('rejects VISCA address 8', () => {
    const visca = { address: 8, layout: '{packet}', commands: ['home'] };

    expect(problemsOf(viscaProfile({ visca }))).toEqual([
      'field "visca.address" has value 8; expected the VISCA camera address, 1 to 7',
    ]);
  });

  it('rejects unknown VISCA command', () => {
    const visca = { address: 1, layout: '{packet}', commands: ['pan', 'focus'] };

    expect(problemsOf(viscaProfile({ visca }))[0]).toBe(
      'field "visca.commands.1" has value "focus"; expected one of pan, tilt, zoom, home, presetRecall, presetSave',
    );
  });
});

describe('loadProfile', () => {
  const folder = mkdtempSync(join(tmpdir(), 'podium-ptz-'));

  it('loads valid file', () => {
    const path = join(folder, 'valid.json');

    writeFileSync(path, JSON.stringify(byteProfile()));

    expect(loadProfile(path).name).toBe('Test camera');
  });

  it('names file with invalid JSON', () => {
    const path = join(folder, 'broken.json');

    writeFileSync(path, '{"name": ');

    expect(() => loadProfile(path)).toThrow(`invalid camera profile ${path}:\n  - not valid JSON: `);
  });

  it('names missing file', () => {
    const path = join(folder, 'absent.json');

    expect(() => loadProfile(path)).toThrow(
      `invalid camera profile ${path}:\n  - cannot read the file (ENOENT); check the path and its permissions`,
    );
  });

  it('names file in field errors', () => {
    const path = join(folder, 'bad-id.json');

    writeFileSync(path, JSON.stringify(byteProfile({ productId: '0x12345' })));

    expect(() => loadProfile(path)).toThrow(
      `invalid camera profile ${path}:\n  - field "productId" has value "0x12345"`,
    );
  });
});

describe('profileCapabilities', () => {
  it('lists byte profile commands', () => {
    const capabilities = profileCapabilities(parseProfile(byteProfile(), 'test.json'));

    expect(capabilities.commands).toEqual(['pan', 'tilt', 'zoom', 'home', 'presetRecall', 'presetSave']);
    expect(capabilities.panSpeed).toEqual({ min: 1, max: 9 });
    expect(capabilities.tiltSpeed).toEqual({ min: 1, max: 5 });
    expect(capabilities.presets).toEqual({ min: 1, max: 16 });
  });

  it('omits speeds of fixed-speed camera', () => {
    const raw = byteProfile({ panSpeed: undefined, tiltSpeed: undefined });
    const commands = raw.commands as Record<string, string>;

    Object.assign(commands, { panLeft: '10', panRight: '11', tiltUp: '12', tiltDown: '13' });

    const capabilities = profileCapabilities(parseProfile(raw, 'test.json'));

    expect(capabilities.panSpeed).toBeUndefined();
    expect(capabilities.tiltSpeed).toBeUndefined();
  });

  it('gives VISCA ranges for VISCA profile', () => {
    const visca = { address: 1, layout: '{packet}', commands: ['presetSave', 'tilt', 'pan'] };
    const capabilities = profileCapabilities(parseProfile(viscaProfile({ visca }), 'test.json'));

    expect(capabilities.commands).toEqual(['pan', 'tilt', 'presetSave']);
    expect(capabilities.panSpeed).toEqual({ min: 0x01, max: 0x18 });
    expect(capabilities.tiltSpeed).toEqual({ min: 0x01, max: 0x14 });
    expect(capabilities.presets).toEqual({ min: 0, max: 127 });
  });

  it('omits VISCA ranges for missing commands', () => {
    const visca = { address: 1, layout: '{packet}', commands: ['home'] };
    const capabilities = profileCapabilities(parseProfile(viscaProfile({ visca }), 'test.json'));

    expect(capabilities.commands).toEqual(['home']);
    expect(capabilities.panSpeed).toBeUndefined();
    expect(capabilities.presets).toBeUndefined();
  });
});

describe('buildReport', () => {
  const profile = parseProfile(byteProfile(), 'test.json') as ByteHidProfile;

  it('fills speed placeholder', () => {
    expect([...buildReport(profile, 'panLeft', { panSpeed: 7 })]).toEqual([0x02, 0x10, 0x07, 0, 0, 0, 0, 0]);
  });

  it('fills preset placeholder', () => {
    expect([...buildReport(profile, 'presetSave', { preset: 3 })]).toEqual([0x02, 0x41, 0x03, 0, 0, 0, 0, 0]);
  });

  it('pads to report length', () => {
    expect([...buildReport(profile, 'home')]).toEqual([0x02, 0x30, 0, 0, 0, 0, 0, 0]);
  });

  it('rejects missing placeholder value', () => {
    expect(() => buildReport(profile, 'tiltUp')).toThrow(
      'command tiltUp of camera profile "Test camera" needs a value for {tiltSpeed}',
    );
  });

  it('rejects value above one byte', () => {
    expect(() => buildReport(profile, 'presetRecall', { preset: 256 })).toThrow(RangeError);
  });

  it('rejects command profile lacks', () => {
    const raw = byteProfile();

    delete (raw.commands as Record<string, string>).home;

    expect(() => buildReport(parseProfile(raw, 'test.json') as ByteHidProfile, 'home')).toThrow(
      new TypeError('home is not supported by camera profile "Test camera"'),
    );
  });
});

describe('buildViscaReport', () => {
  it('places length and packet after report id', () => {
    const profile = parseProfile(viscaProfile(), 'test.json') as ViscaHidProfile;

    expect([...buildViscaReport(profile, viscaHome(1))]).toEqual([
      0x01, 0x05, 0x81, 0x01, 0x06, 0x04, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
  });

  it('keeps literal layout bytes', () => {
    const visca = { address: 1, layout: 'a5 {packet} 5a', commands: ['home'] };
    const profile = parseProfile(viscaProfile({ visca }), 'test.json') as ViscaHidProfile;

    expect([...buildViscaReport(profile, viscaHome(1))]).toEqual([
      0x01, 0xa5, 0x81, 0x01, 0x06, 0x04, 0xff, 0x5a, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
  });

  it('rejects packet that does not fit', () => {
    const profile = parseProfile(viscaProfile(), 'test.json') as ViscaHidProfile;

    expect(() => buildViscaReport(profile, Buffer.alloc(15, 0x01))).toThrow(
      'VISCA packet of 15 bytes does not fit the 16-byte report of camera profile "VISCA camera"',
    );
  });
});
