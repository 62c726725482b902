import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildReport,
  loadProfile,
  parseProfile,
  ProfileError,
  profileCapabilities,
  type ByteHidProfile,
  type HidProfile,
} from './hid-profile.js';
import { homeReports, moveReports, presetReports, stopReports, zoomReports } from './hid-reports.js';

const LOGITECH_PATH = fileURLToPath(new URL('./profiles/logitech-ptz-pro-2.json', import.meta.url));
const TEMPLATE_PATH = fileURLToPath(new URL('./profiles/visca-over-hid.template.json', import.meta.url));

/** Returns the expected report: the given leading bytes, then zeros up to the length. */
function padded(length: number, head: number[]): number[] {
  return [...head, ...new Array<number>(length - head.length).fill(0)];
}

function bytesOf(reports: Buffer[]): number[][] {
  return reports.map((report) => [...report]);
}

describe('logitech-ptz-pro-2.json', () => {
  const profile = loadProfile(LOGITECH_PATH) as ByteHidProfile;

  it('matches the vendor HID interface', () => {
    expect(profile.vendorId).toBe(0x046d);
    expect(profile.productId).toBe(0x085f);
    expect(profile.usagePage).toBe(0xff00);
    expect(profile.usage).toBe(0x01);
    expect(profile.reportId).toBe(0x0b);
    expect(profile.reportLength).toBe(32);
  });

  it('repeats steps without stop commands', () => {
    expect(profile.repeatMs).toBe(200);
    expect(profile.commands.panTiltStop).toBeUndefined();
    expect(profile.commands.zoomStop).toBeUndefined();
  });

  it('says it is unverified', () => {
    expect(profile.notes).toContain('Not verified on a real camera');
    expect(profile.notes).toContain('guess to tune on site');
  });

  it('supports pan, tilt and zoom', () => {
    const capabilities = profileCapabilities(profile);

    expect(capabilities.commands).toEqual(['pan', 'tilt', 'zoom']);
    expect(capabilities.panSpeed).toBeUndefined();
    expect(capabilities.tiltSpeed).toBeUndefined();
    expect(capabilities.presets).toBeUndefined();
  });

  it('builds 32-byte pan left report', () => {
    expect([...buildReport(profile, 'panLeft')]).toEqual([
      0x0b, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
  });

  it.each([
    ['tiltUp', [0x0b, 0x00]],
    ['tiltDown', [0x0b, 0x01]],
    ['panRight', [0x0b, 0x02]],
    ['panLeft', [0x0b, 0x03]],
    ['zoomIn', [0x0b, 0x04]],
    ['zoomOut', [0x0b, 0x05]],
  ] as const)('builds %s report', (command, head) => {
    expect([...buildReport(profile, command)]).toEqual(padded(32, [...head]));
  });

  it.each([
    ['left', -1, 0, [[0x0b, 0x03]]],
    ['right', 1, 0, [[0x0b, 0x02]]],
    ['up', 0, 1, [[0x0b, 0x00]]],
    ['down', 0, -1, [[0x0b, 0x01]]],
    ['up-left', -1, 1, [[0x0b, 0x03], [0x0b, 0x00]]],
    ['down-right', 1, -1, [[0x0b, 0x02], [0x0b, 0x01]]],
  ] as const)('moves %s with pan before tilt', (_name, pan, tilt, heads) => {
    const expected = heads.map((head) => padded(32, [...head]));

    expect(bytesOf(moveReports(profile, { pan, tilt }))).toEqual(expected);
  });

  it('zooms in and out', () => {
    expect(bytesOf(zoomReports(profile, 1))).toEqual([padded(32, [0x0b, 0x04])]);
    expect(bytesOf(zoomReports(profile, -1))).toEqual([padded(32, [0x0b, 0x05])]);
  });

  it('sends nothing to stop', () => {
    expect(stopReports(profile)).toEqual([]);
    expect(zoomReports(profile, 0)).toEqual([]);
  });

  it('rejects home and presets', () => {
    expect(() => homeReports(profile)).toThrow(TypeError);
    expect(() => presetReports(profile, 'recall', 1)).toThrow(
      'presetRecall is not supported by camera profile "Logitech PTZ Pro 2 (vendor HID interface)"',
    );
  });
});

describe('visca-over-hid.template.json', () => {
  const raw = JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8')) as Record<string, unknown>;

  /** Parses the template with its placeholders filled in as an installer would fill them. */
  function filledTemplate(): HidProfile {
    const visca = raw.visca as Record<string, unknown>;

    return parseProfile(
      {
        ...raw,
        name: 'Filled template',
        vendorId: '0x1234',
        productId: '0x5678',
        usagePage: '0xff00',
        usage: '0x01',
        reportId: '0x01',
        reportLength: 16,
        visca: { ...visca, layout: '{packetLength} {packet}' },
      },
      'filled-template.json',
    );
  }

  it('rejects unfilled placeholders', () => {
    let problems: string[] = [];

    try {
      loadProfile(TEMPLATE_PATH);
    } catch (error) {
      expect(error).toBeInstanceOf(ProfileError);
      problems = (error as ProfileError).problems;
    }

    const fields = problems.map((problem) => /^field "([^"]+)"/.exec(problem)?.[1]);

    expect(fields).toEqual([
      'name',
      'vendorId', 'productId', 'usagePage', 'usage', 'reportId', 'reportLength', 'visca.layout']);
  });

  it('marks placeholders as FILL IN', () => {
    for (const field of ['name', 'vendorId', 'productId', 'usagePage', 'usage', 'reportId', 'reportLength']) {
      expect(String(raw[field])).toMatch(/^FILL IN: /);
    }
    expect(String((raw.visca as Record<string, unknown>).layout)).toMatch(/^FILL IN: /);
  });

  it('says it is unverified', () => {
    expect(raw.notes).toContain('not verified on any camera');
  });

  it('supports every command once filled', () => {
    expect(profileCapabilities(filledTemplate()).commands).toEqual([
      'pan', 'tilt', 'zoom', 'home', 'presetRecall', 'presetSave',
    ]);
  });

  it.each([
    ['left', -1, 0, 0x10, 0x08, [0x01, 0x09, 0x81, 0x01, 0x06, 0x01, 0x10, 0x08, 0x01, 0x03, 0xff]],
    ['right', 1, 0, 0x10, 0x08, [0x01, 0x09, 0x81, 0x01, 0x06, 0x01, 0x10, 0x08, 0x02, 0x03, 0xff]],
    ['up', 0, 1, 0x01, 0x14, [0x01, 0x09, 0x81, 0x01, 0x06, 0x01, 0x01, 0x14, 0x03, 0x01, 0xff]],
    ['down', 0, -1, 0x18, 0x01, [0x01, 0x09, 0x81, 0x01, 0x06, 0x01, 0x18, 0x01, 0x03, 0x02, 0xff]],
    ['up-right', 1, 1, 0x05, 0x05, [0x01, 0x09, 0x81, 0x01, 0x06, 0x01, 0x05, 0x05, 0x02, 0x01, 0xff]],
  ] as const)('moves %s in one report', (_name, pan, tilt, panSpeed, tiltSpeed, head) => {
    const reports = moveReports(filledTemplate(), { pan, tilt, panSpeed, tiltSpeed });

    expect(bytesOf(reports)).toEqual([padded(16, [...head])]);
  });

  it('stops pan and tilt', () => {
    expect(bytesOf(stopReports(filledTemplate()))).toEqual([
      padded(16, [0x01, 0x09, 0x81, 0x01, 0x06, 0x01, 0x0d, 0x0b, 0x03, 0x03, 0xff]),
    ]);
  });

  it('zooms in, out and stops', () => {
    const profile = filledTemplate();

    expect(bytesOf(zoomReports(profile, 1))).toEqual([padded(16, [0x01, 0x06, 0x81, 0x01, 0x04, 0x07, 0x02, 0xff])]);
    expect(bytesOf(zoomReports(profile, -1))).toEqual([padded(16, [0x01, 0x06, 0x81, 0x01, 0x04, 0x07, 0x03, 0xff])]);
    expect(bytesOf(zoomReports(profile, 0))).toEqual([padded(16, [0x01, 0x06, 0x81, 0x01, 0x04, 0x07, 0x00, 0xff])]);
  });

  it('zooms at configured variable speed', () => {
    const visca = { ...(raw.visca as object), layout: '{packet}', zoomSpeed: 3 };
    const ids = { vendorId: '0x1', productId: '0x2', usagePage: '0x3', usage: '0x4' };
    const fields = { ...ids, name: 'Zoom speed', reportId: '0x0', reportLength: 10, visca };
    const profile = parseProfile({ ...raw, ...fields }, 't.json');

    expect(bytesOf(zoomReports(profile, 1))).toEqual([padded(10, [0x00, 0x81, 0x01, 0x04, 0x07, 0x23, 0xff])]);
  });

  it('drives home', () => {
    expect(bytesOf(homeReports(filledTemplate()))).toEqual([padded(16, [0x01, 0x05, 0x81, 0x01, 0x06, 0x04, 0xff])]);
  });

  it('recalls and saves presets', () => {
    const profile = filledTemplate();

    expect(bytesOf(presetReports(profile, 'recall', 3))).toEqual([
      padded(16, [0x01, 0x07, 0x81, 0x01, 0x04, 0x3f, 0x02, 0x03, 0xff]),
    ]);
    expect(bytesOf(presetReports(profile, 'save', 127))).toEqual([
      padded(16, [0x01, 0x07, 0x81, 0x01, 0x04, 0x3f, 0x01, 0x7f, 0xff]),
    ]);
  });

  it('rejects preset 128', () => {
    expect(() => presetReports(filledTemplate(), 'save', 128)).toThrow(
      new RangeError('VISCA memory number must be an integer from 0 to 127, got 128'),
    );
  });
});
