import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../appliance/log.js';
import { FakeHidOpener } from './fake-hid-device.js';
import { loadProfile, parseProfile, profileCapabilities } from './hid-profile.js';
import { HidTransport } from './hid-transport.js';
import {
  describeHidInterfaces,
  describeInputReport,
  describeProfile,
  driveCheck,
  HOME_WAIT_MS,
  STEP_MS,
} from './ptz-check-steps.js';

const LOGITECH = loadProfile(fileURLToPath(new URL('./profiles/logitech-ptz-pro-2.json', import.meta.url)));

const VISCA = parseProfile(
  {
    name: 'VISCA camera',
    notes: 'made up for tests',
    vendorId: '0x1234',
    productId: '0x5678',
    usagePage: '0xff00',
    usage: '0x01',
    reportId: '0x01',
    reportLength: 12,
    visca: { address: 1, layout: '{packet}', commands: ['pan', 'zoom', 'home', 'presetRecall'] },
  },
  'visca.json',
);

describe('describeHidInterfaces', () => {
  it('lists ids and usage', () => {
    const lines = describeHidInterfaces([
      {
        vendorId: 0x046d,
        productId: 0x085f,
        usagePage: 0xff00,
        usage: 0x01,
        interface: 4,
        release: 0,
        path: '/dev/hidraw3',
        product: 'PTZ Pro 2',
      },
    ]);

    expect(lines).toEqual([
      'vendorId 0x046d  productId 0x085f  usagePage 0xff00  usage 0x01  interface 4  /dev/hidraw3  PTZ Pro 2',
    ]);
  });

  it('marks unknown usage', () => {
    const [line] = describeHidInterfaces([{ vendorId: 1, productId: 2, interface: 0, release: 0 }]);

    expect(line).toBe('vendorId 0x0001  productId 0x0002  usagePage ?  usage ?  interface 0  (no path)');
  });

  it('explains empty list', () => {
    expect(describeHidInterfaces([])).toEqual([
      'no HID interfaces found; check that the camera is plugged in and that this user may read /dev/hidraw*',
    ]);
  });
});

describe('describeProfile', () => {
  it('prints byte profile reports', () => {
    const lines = describeProfile(LOGITECH, profileCapabilities(LOGITECH));
    const zeros = ' 00'.repeat(30);

    expect(lines.slice(1, 3)).toEqual([
      'device 046d:085f usage page 0xff00 usage 0x01, report id 0x0b, 32 bytes',
      'supports pan, tilt, zoom',
    ]);
    expect(lines.slice(3)).toEqual([
      `panLeft      0b 03${zeros}`,
      `panRight     0b 02${zeros}`,
      `tiltUp       0b 00${zeros}`,
      `tiltDown     0b 01${zeros}`,
      `zoomIn       0b 04${zeros}`,
      `zoomOut      0b 05${zeros}`,
    ]);
  });

  it('prints VISCA profile reports', () => {
    const lines = describeProfile(VISCA, profileCapabilities(VISCA));

    expect(lines.slice(3)).toEqual([
      'panLeft      01 81 01 06 01 0d 0b 01 03 ff 00 00',
      'panTiltStop  01 81 01 06 01 0d 0b 03 03 ff 00 00',
      'zoomIn       01 81 01 04 07 02 ff 00 00 00 00 00',
      'zoomStop     01 81 01 04 07 00 ff 00 00 00 00 00',
      'home         01 81 01 06 04 ff 00 00 00 00 00 00',
      'presetRecall 01 81 01 04 3f 02 00 ff 00 00 00 00',
    ]);
  });
});

/** Waits on the global setTimeout, which vitest's fake timers control. */
function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('driveCheck', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('numbers each supported step', async () => {
    const opener = new FakeHidOpener();
    const driver = new HidTransport({ profile: VISCA, openDevice: opener.open, logger: createLogger('silent') });
    const lines: string[] = [];
    const done = driveCheck(driver, (line) => lines.push(line), wait);

    await vi.advanceTimersByTimeAsync(4 * STEP_MS + HOME_WAIT_MS);
    await done;

    expect(lines).toEqual([
      '1. pan left for 1 s',
      '2. pan right for 1 s',
      '3. zoom in for 1 s',
      '4. zoom out for 1 s',
      '5. home for 5 s',
      'done: 5 steps; presets were not tried',
    ]);
    expect(opener.last.reports).toHaveLength(9);
  });

  it('stops each move after its step', async () => {
    const opener = new FakeHidOpener();
    const driver = new HidTransport({ profile: LOGITECH, openDevice: opener.open, logger: createLogger('silent') });
    const done = driveCheck(driver, () => {}, wait);

    await vi.advanceTimersByTimeAsync(6 * STEP_MS);
    await done;

    const reports = opener.last.reports;
    const written = reports.length;

    // Command bytes in step order: pan left, pan right, tilt up, tilt down, zoom in, zoom out.
    expect([...new Set(reports.map((report) => report[1]))]).toEqual([0x03, 0x02, 0x00, 0x01, 0x04, 0x05]);
    expect(vi.getTimerCount()).toBe(0);

    await vi.advanceTimersByTimeAsync(10 * STEP_MS);
    expect(reports).toHaveLength(written);
  });
});

describe('describeInputReport', () => {
  it('names directions and buttons', () => {
    const line = describeInputReport(Buffer.from([0x00, 0x80, 0x10]), {
      pan: -1,
      tilt: 0,
      zoom: 1,
      pressed: new Set(['preset1'] as const),
    });

    expect(line).toBe('00 80 10 -> pan -1 (left), zoom 1 (in), preset1');
  });

  it('says at rest', () => {
    expect(describeInputReport(Buffer.from([0x80]), { pan: 0, tilt: 0, zoom: 0, pressed: new Set() })).toBe('80 -> at rest');
  });
});
