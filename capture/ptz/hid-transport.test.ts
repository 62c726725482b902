import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../appliance/log.js';
import { FakeHidOpener } from './fake-hid-device.js';
import { loadProfile, parseProfile, type HidProfile } from './hid-profile.js';
import { HidTransport, type HidDevice } from './hid-transport.js';

const logger = createLogger('silent');
const LOGITECH = loadProfile(fileURLToPath(new URL('./profiles/logitech-ptz-pro-2.json', import.meta.url)));
const REPEAT_MS = 200;

/** The Logitech PTZ Pro 2 reports, by command byte. */
const TILT_UP = padded(32, [0x0b, 0x00]);
const TILT_DOWN = padded(32, [0x0b, 0x01]);
const PAN_RIGHT = padded(32, [0x0b, 0x02]);
const PAN_LEFT = padded(32, [0x0b, 0x03]);
const ZOOM_IN = padded(32, [0x0b, 0x04]);

function padded(length: number, head: number[]): number[] {
  return [...head, ...new Array<number>(length - head.length).fill(0)];
}

/** Parses a byte profile with stop commands, home and presets, and repeatMs only when given. */
function stoppingProfile(repeatMs?: number): HidProfile {
  return parseProfile(
    {
      name: 'Stopping camera',
      notes: 'made up for tests',
      vendorId: '0x1234',
      productId: '0x5678',
      usagePage: '0xff00',
      usage: '0x01',
      reportId: '0x05',
      reportLength: 4,
      repeatMs,
      commands: {
        panLeft: '10 {panSpeed}',
        panRight: '11 {panSpeed}',
        panTiltStop: '1f',
        zoomIn: '20',
        zoomOut: '21',
        zoomStop: '2f',
        home: '30',
        presetRecall: '40 {preset}',
        presetSave: '41 {preset}',
      },
      panSpeed: { min: 1, max: 7 },
      presets: { min: 1, max: 8 },
    },
    'stopping.json',
  );
}

function viscaProfile(): HidProfile {
  return parseProfile(
    {
      name: 'VISCA camera',
      notes: 'made up for tests',
      vendorId: '0x1234',
      productId: '0x5678',
      usagePage: '0xff00',
      usage: '0x01',
      reportId: '0x01',
      reportLength: 12,
      visca: { address: 1, layout: '{packet}', commands: ['pan', 'tilt', 'zoom', 'home', 'presetRecall'] },
    },
    'visca.json',
  );
}

function openTransport(profile: HidProfile = LOGITECH) {
  const opener = new FakeHidOpener();
  const driver = new HidTransport({ profile, openDevice: opener.open, logger });
  const events: string[] = [];

  driver.on('error', (error) => events.push(`error: ${error.message}`));
  driver.on('close', (reason) => events.push(`close: ${reason}`));

  return { driver, device: opener.last, events };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('HidTransport open', () => {
  it('opens device of profile', () => {
    const { driver, device } = openTransport();

    expect(device.profile).toBe(LOGITECH);
    expect(driver.closed).toBe(false);
    expect(driver.profileName).toBe('Logitech PTZ Pro 2 (vendor HID interface)');
  });

  it('names profile and ids when open fails', () => {
    const opener = new FakeHidOpener();

    opener.failNextOpen(new TypeError('cannot open device with path /dev/hidraw3'));

    expect(() => new HidTransport({ profile: LOGITECH, openDevice: opener.open, logger })).toThrow(
      'cannot open the HID device of camera profile "Logitech PTZ Pro 2 (vendor HID interface)" ' +
        '(046d:085f usage page 0xff00 usage 0x01): cannot open device with path /dev/hidraw3',
    );
  });

  it('keeps cause of open failure', () => {
    const opener = new FakeHidOpener();
    const cause = new TypeError('permission denied');

    opener.failNextOpen(cause);

    try {
      new HidTransport({ profile: LOGITECH, openDevice: opener.open, logger });
      expect.fail('the transport opened');
    } catch (error) {
      expect((error as Error).cause).toBe(cause);
    }
  });
});

describe('HidTransport repeats', () => {
  it('writes step at 0 and every repeatMs', async () => {
    const { driver, device } = openTransport();

    await driver.move({ pan: -1, tilt: 0 });
    expect(device.reports).toEqual([PAN_LEFT]);

    await vi.advanceTimersByTimeAsync(REPEAT_MS - 1);
    expect(device.reports).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1);
    expect(device.reports).toEqual([PAN_LEFT, PAN_LEFT]);

    await vi.advanceTimersByTimeAsync(REPEAT_MS);
    expect(device.reports).toHaveLength(3);

    await vi.advanceTimersByTimeAsync(3 * REPEAT_MS);
    expect(device.reports).toEqual(new Array(6).fill(PAN_LEFT));
  });

  it('writes nothing after stop', async () => {
    const { driver, device } = openTransport();

    await driver.move({ pan: 1, tilt: 0 });
    await vi.advanceTimersByTimeAsync(2 * REPEAT_MS);
    await driver.stop();
    await vi.advanceTimersByTimeAsync(10 * REPEAT_MS);

    expect(device.reports).toEqual([PAN_RIGHT, PAN_RIGHT, PAN_RIGHT]);
  });

  it('stop cancels timer synchronously', async () => {
    const { driver } = openTransport();

    await driver.move({ pan: 0, tilt: 1 });
    expect(vi.getTimerCount()).toBe(1);

    const stopped = driver.stop();

    expect(vi.getTimerCount()).toBe(0);
    await stopped;
  });

  it('stop between ticks skips next tick', async () => {
    const { driver, device } = openTransport();

    await driver.move({ pan: 0, tilt: -1 });
    await vi.advanceTimersByTimeAsync(REPEAT_MS + REPEAT_MS / 2);
    await driver.stop();
    await vi.advanceTimersByTimeAsync(REPEAT_MS / 2);

    expect(device.reports).toEqual([TILT_DOWN, TILT_DOWN]);
  });

  it('new move replaces repeat', async () => {
    const { driver, device } = openTransport();

    await driver.move({ pan: -1, tilt: 0 });
    await vi.advanceTimersByTimeAsync(REPEAT_MS + 50);
    await driver.move({ pan: 1, tilt: 0 });
    expect(device.reports).toEqual([PAN_LEFT, PAN_LEFT, PAN_RIGHT]);

    await vi.advanceTimersByTimeAsync(REPEAT_MS);
    expect(device.reports).toEqual([PAN_LEFT, PAN_LEFT, PAN_RIGHT, PAN_RIGHT]);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('same move keeps its rhythm', async () => {
    const { driver, device } = openTransport();

    await driver.move({ pan: -1, tilt: 0 });
    await vi.advanceTimersByTimeAsync(REPEAT_MS / 2);
    await driver.move({ pan: -1, tilt: 0 });
    expect(device.reports).toEqual([PAN_LEFT]);

    await vi.advanceTimersByTimeAsync(REPEAT_MS / 2);
    expect(device.reports).toEqual([PAN_LEFT, PAN_LEFT]);
  });

  it('same zoom keeps its rhythm', async () => {
    const { driver, device } = openTransport();

    await driver.zoom(1);
    await driver.zoom(1);
    await vi.advanceTimersByTimeAsync(REPEAT_MS);

    expect(device.reports).toEqual([ZOOM_IN, ZOOM_IN]);
  });

  it('repeats diagonal as pan then tilt', async () => {
    const { driver, device } = openTransport();

    await driver.move({ pan: 1, tilt: 1 });
    await vi.advanceTimersByTimeAsync(REPEAT_MS);

    expect(device.reports).toEqual([PAN_RIGHT, TILT_UP, PAN_RIGHT, TILT_UP]);
  });

  it('treats zero move as stop', async () => {
    const { driver, device } = openTransport();

    await driver.move({ pan: -1, tilt: 0 });
    await driver.move({ pan: 0, tilt: 0 });
    await vi.advanceTimersByTimeAsync(5 * REPEAT_MS);

    expect(device.reports).toEqual([PAN_LEFT]);
  });

  it('repeats zoom until zoom 0', async () => {
    const { driver, device } = openTransport();

    await driver.zoom(1);
    await vi.advanceTimersByTimeAsync(2 * REPEAT_MS);
    await driver.zoom(0);
    await vi.advanceTimersByTimeAsync(5 * REPEAT_MS);

    expect(device.reports).toEqual([ZOOM_IN, ZOOM_IN, ZOOM_IN]);
  });

  it('keeps zoom repeating through stop', async () => {
    const { driver, device } = openTransport();

    await driver.zoom(1);
    await driver.move({ pan: -1, tilt: 0 });
    await driver.stop();
    await vi.advanceTimersByTimeAsync(REPEAT_MS);

    expect(device.reports).toEqual([ZOOM_IN, PAN_LEFT, ZOOM_IN]);
  });

  it('close clears every repeat', async () => {
    const { driver, device } = openTransport();

    await driver.zoom(-1);
    await driver.move({ pan: -1, tilt: 0 });
    driver.close();
    await vi.advanceTimersByTimeAsync(5 * REPEAT_MS);

    expect(vi.getTimerCount()).toBe(0);
    expect(device.reports).toHaveLength(2);
  });

  it('home ends held move', async () => {
    const { driver, device } = openTransport(stoppingProfile(REPEAT_MS));

    await driver.move({ pan: 1, tilt: 0, panSpeed: 3 });
    await driver.home();
    await vi.advanceTimersByTimeAsync(5 * REPEAT_MS);

    expect(device.reports).toEqual([
      [0x05, 0x11, 0x03, 0x00],
      [0x05, 0x30, 0x00, 0x00],
    ]);
  });

  it('preset recall ends held zoom', async () => {
    const { driver, device } = openTransport(stoppingProfile(REPEAT_MS));

    await driver.zoom(-1);
    await driver.recallPreset(2);
    await vi.advanceTimersByTimeAsync(5 * REPEAT_MS);

    expect(device.reports).toEqual([
      [0x05, 0x21, 0x00, 0x00],
      [0x05, 0x40, 0x02, 0x00],
    ]);
  });

  it('stop writes stop after repeats', async () => {
    const { driver, device } = openTransport(stoppingProfile(REPEAT_MS));

    await driver.move({ pan: -1, tilt: 0, panSpeed: 7 });
    await vi.advanceTimersByTimeAsync(REPEAT_MS);
    await driver.stop();
    await vi.advanceTimersByTimeAsync(5 * REPEAT_MS);

    expect(device.reports).toEqual([
      [0x05, 0x10, 0x07, 0x00],
      [0x05, 0x10, 0x07, 0x00],
      [0x05, 0x1f, 0x00, 0x00],
    ]);
  });
});

describe('HidTransport continuous moves', () => {
  it('writes move once without repeatMs', async () => {
    const { driver, device } = openTransport(stoppingProfile());

    await driver.move({ pan: -1, tilt: 0, panSpeed: 2 });
    await vi.advanceTimersByTimeAsync(5000);

    expect(device.reports).toEqual([[0x05, 0x10, 0x02, 0x00]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stop writes stop report at once', async () => {
    const { driver, device } = openTransport(stoppingProfile());

    await driver.move({ pan: 1, tilt: 0 });
    void driver.stop();

    expect(device.reports.at(-1)).toEqual([0x05, 0x1f, 0x00, 0x00]);
  });

  it('clamps speed to profile range', async () => {
    const { driver, device } = openTransport(stoppingProfile());

    await driver.move({ pan: 1, tilt: 0, panSpeed: 99 });
    await driver.move({ pan: 1, tilt: 0, panSpeed: -3 });

    expect(device.reports).toEqual([
      [0x05, 0x11, 0x07, 0x00],
      [0x05, 0x11, 0x01, 0x00],
    ]);
  });

  it('uses middle speed by default', async () => {
    const { driver, device } = openTransport(stoppingProfile());

    await driver.move({ pan: 1, tilt: 0 });

    expect(device.reports).toEqual([[0x05, 0x11, 0x04, 0x00]]);
  });

  it('zoom 0 writes zoom stop', async () => {
    const { driver, device } = openTransport(stoppingProfile());

    await driver.zoom(1);
    await driver.zoom(0);

    expect(device.reports).toEqual([
      [0x05, 0x20, 0x00, 0x00],
      [0x05, 0x2f, 0x00, 0x00],
    ]);
  });

  it('saves preset', async () => {
    const { driver, device } = openTransport(stoppingProfile());

    await driver.savePreset(8);

    expect(device.reports).toEqual([[0x05, 0x41, 0x08, 0x00]]);
  });

  it('close stops move and zoom', async () => {
    const { driver, device } = openTransport(stoppingProfile());

    await driver.move({ pan: -1, tilt: 0, panSpeed: 1 });
    await driver.zoom(-1);
    driver.close();

    expect(device.reports).toEqual([
      [0x05, 0x10, 0x01, 0x00],
      [0x05, 0x21, 0x00, 0x00],
      [0x05, 0x1f, 0x00, 0x00],
      [0x05, 0x2f, 0x00, 0x00],
    ]);
  });

  it('close after stop writes nothing', async () => {
    const { driver, device } = openTransport(stoppingProfile());

    await driver.move({ pan: -1, tilt: 0 });
    await driver.stop();
    driver.close();

    expect(device.reports).toHaveLength(2);
  });
});

describe('HidTransport VISCA profile', () => {
  it('drives with one report per move', async () => {
    const { driver, device } = openTransport(viscaProfile());

    await driver.move({ pan: -1, tilt: 1, panSpeed: 0x18, tiltSpeed: 0x14 });
    await driver.stop();

    expect(device.reports).toEqual([
      [0x01, 0x81, 0x01, 0x06, 0x01, 0x18, 0x14, 0x01, 0x01, 0xff, 0x00, 0x00],
      [0x01, 0x81, 0x01, 0x06, 0x01, 0x0d, 0x0b, 0x03, 0x03, 0xff, 0x00, 0x00],
    ]);
  });

  it('never repeats', async () => {
    const { driver, device } = openTransport(viscaProfile());

    await driver.move({ pan: 1, tilt: 0 });
    await driver.zoom(1);
    await vi.advanceTimersByTimeAsync(5000);

    expect(device.reports).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('recalls preset', async () => {
    const { driver, device } = openTransport(viscaProfile());

    await driver.recallPreset(127);

    expect(device.reports).toEqual([[0x01, 0x81, 0x01, 0x04, 0x3f, 0x02, 0x7f, 0xff, 0x00, 0x00, 0x00, 0x00]]);
  });

  it('rejects preset it lacks', async () => {
    const { driver } = openTransport(viscaProfile());

    await expect(driver.savePreset(1)).rejects.toThrow(
      new TypeError('presetSave is not supported by camera profile "VISCA camera"'),
    );
  });
});

describe('HidTransport rejects', () => {
  it.each([
    ['home', (driver: HidTransport) => driver.home()],
    ['presetRecall', (driver: HidTransport) => driver.recallPreset(1)],
    ['presetSave', (driver: HidTransport) => driver.savePreset(1)],
  ] as const)('unsupported %s with TypeError', async (command, call) => {
    const { driver } = openTransport();

    await expect(call(driver)).rejects.toThrow(
      new TypeError(`${command} is not supported by camera profile "Logitech PTZ Pro 2 (vendor HID interface)"`),
    );
  });

  it('tilt on pan-only camera', async () => {
    const { driver, device } = openTransport(stoppingProfile());

    await expect(driver.move({ pan: 1, tilt: 1 })).rejects.toThrow(
      new TypeError('tilt is not supported by camera profile "Stopping camera"'),
    );
    expect(device.reports).toEqual([]);
  });

  it('direction outside -1..1', async () => {
    const { driver } = openTransport();

    await expect(driver.move({ pan: 2 as never, tilt: 0 })).rejects.toThrow(RangeError);
    await expect(driver.zoom(-2 as never)).rejects.toThrow('zoom direction must be -1, 0 or 1, got -2');
  });

  it('preset outside profile range', async () => {
    const { driver } = openTransport(stoppingProfile());

    await expect(driver.recallPreset(9)).rejects.toThrow(
      new RangeError('preset of camera profile "Stopping camera" must be an integer from 1 to 8, got 9'),
    );
  });

  it('commands after close', async () => {
    const { driver } = openTransport();

    driver.close();

    await expect(driver.move({ pan: 1, tilt: 0 })).rejects.toThrow(
      'PTZ camera of profile "Logitech PTZ Pro 2 (vendor HID interface)" is closed',
    );
    await expect(driver.stop()).rejects.toThrow(/is closed$/);
  });
});

describe('HidTransport failures', () => {
  it('write error emits error then closes', async () => {
    const { driver, device, events } = openTransport();

    device.failNextWrite(new TypeError('Cannot write to hid device'));

    await expect(driver.move({ pan: 1, tilt: 0 })).rejects.toThrow(
      /failed and is treated as gone: Cannot write to hid device$/,
    );
    expect(events).toEqual([
      'error: HID device of camera profile "Logitech PTZ Pro 2 (vendor HID interface)" ' +
        'failed and is treated as gone: Cannot write to hid device',
      'close: device-gone',
    ]);
    expect(driver.closed).toBe(true);
    expect(device.closed).toBe(true);
  });

  it('write error during repeat closes driver', async () => {
    const { driver, device, events } = openTransport();

    await driver.move({ pan: -1, tilt: 0 });
    device.failNextWrite();
    await vi.advanceTimersByTimeAsync(REPEAT_MS);

    expect(events).toEqual([expect.stringMatching(/^error: /), 'close: device-gone']);
    expect(driver.closed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(device.reports).toEqual([PAN_LEFT]);
  });

  it('closes without error listener', async () => {
    const opener = new FakeHidOpener();
    const driver = new HidTransport({ profile: LOGITECH, openDevice: opener.open, logger });
    const reasons: string[] = [];

    driver.on('close', (reason) => reasons.push(reason));
    await driver.move({ pan: -1, tilt: 0 });
    opener.last.failNextWrite();
    await vi.advanceTimersByTimeAsync(REPEAT_MS);

    expect(reasons).toEqual(['device-gone']);
  });

  it('device error closes driver', () => {
    const { driver, device, events } = openTransport();

    device.emitDeviceError(new Error('could not read from HID device'));

    expect(events).toEqual([
      'error: HID device of camera profile "Logitech PTZ Pro 2 (vendor HID interface)" ' +
        'failed and is treated as gone: could not read from HID device',
      'close: device-gone',
    ]);
    expect(device.closed).toBe(true);
  });

  it('short write counts as failure', async () => {
    const shortDevice: HidDevice = { write: (data) => data.length - 1, close: () => {}, on: () => undefined };
    const driver = new HidTransport({ profile: LOGITECH, openDevice: () => shortDevice, logger });
    const reasons: string[] = [];

    driver.on('close', (reason) => reasons.push(reason));

    await expect(driver.zoom(1)).rejects.toThrow(/wrote 31 of 32 bytes$/);
    expect(reasons).toEqual(['device-gone']);
  });

  it('close is idempotent', () => {
    const { driver, device, events } = openTransport();

    driver.close();
    driver.close();

    expect(events).toEqual(['close: closed']);
    expect(device.closed).toBe(true);
  });

  it('error after close is ignored', () => {
    const { driver, device, events } = openTransport();

    driver.close();
    device.emitDeviceError();

    expect(events).toEqual(['close: closed']);
  });
});
