import type HID from 'node-hid';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../appliance/log.js';
import { FakeHidOpener } from './fake-hid-device.js';
import { HidHotplug } from './hid-hotplug.js';
import { loadProfile, type ByteHidProfile } from './hid-profile.js';
import { HidTransport } from './hid-transport.js';

const logger = createLogger('silent');
const PROFILE = loadProfile(
  fileURLToPath(new URL('./profiles/logitech-ptz-pro-2.json', import.meta.url)),
) as ByteHidProfile;

/** The Logitech PTZ Pro 2's interfaces as node-hid lists them: the vendor one takes the commands. */
function cameraInterfaces(hidraw: number): HID.Device[] {
  const base = { vendorId: 0x046d, productId: 0x085f, release: 0, usage: 0x01 };

  return [
    { ...base, path: `/dev/hidraw${hidraw}`, interface: 0, usagePage: 0x000c },
    { ...base, path: `/dev/hidraw${hidraw + 1}`, interface: 4, usagePage: 0xff00 },
  ];
}

/** A 32-byte report of the profile: report id 0x0b, the command byte, zeros. */
function report(command: number): number[] {
  return [0x0b, command, ...new Array<number>(30).fill(0)];
}

const PAN_LEFT = 0x03;
const TILT_UP = 0x00;

describe('HidHotplug with a HID camera', () => {
  let devices: HID.Device[];
  let failOpenUntil: number;
  let opener: FakeHidOpener;
  let openedPaths: string[];
  let openAttempts: number;
  let hotplug: HidHotplug<HidTransport>;
  let events: string[];

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    devices = [];
    failOpenUntil = 0;
    opener = new FakeHidOpener();
    openedPaths = [];
    openAttempts = 0;
    events = [];
    hotplug = new HidHotplug({
      match: PROFILE,
      listDevices: () => devices,
      open: (path) => {
        openAttempts++;
        if (Date.now() < failOpenUntil) throw new TypeError(`cannot open device with path ${path}`);
        openedPaths.push(path);

        return new HidTransport({ profile: PROFILE, openDevice: opener.open, logger });
      },
      logger,
      pollMs: 1000,
      openRetryMs: 100,
      openRetryForMs: 3000,
    });
    hotplug.on('connected', () => events.push('connected'));
    hotplug.on('disconnected', () => events.push('disconnected'));
  });

  afterEach(() => {
    hotplug.stop();
    vi.useRealTimers();
  });

  it('recovers from open failure, write error, unplug', async () => {
    hotplug.start();
    await vi.advanceTimersByTimeAsync(2500);
    expect(hotplug.connection).toBeUndefined();

    // Plugged in, but udev has not yet given the group access: opens fail for 300 ms.
    devices = cameraInterfaces(3);
    failOpenUntil = Date.now() + 1000 + 300;
    await vi.advanceTimersByTimeAsync(1000);
    expect(hotplug.connection).toBeUndefined();
    await vi.advanceTimersByTimeAsync(299);
    expect(hotplug.connection).toBeUndefined();
    await vi.advanceTimersByTimeAsync(100);
    expect(hotplug.connection).toBeDefined();
    expect(openedPaths).toEqual(['/dev/hidraw4']);
    expect(events).toEqual(['connected']);

    // A held pan left repeats its step every 200 ms; the third write fails.
    await hotplug.connection!.move({ pan: -1, tilt: 0 });
    await vi.advanceTimersByTimeAsync(200);
    opener.last.failNextWrite();
    await vi.advanceTimersByTimeAsync(200);
    expect(opener.devices[0]!.reports).toEqual([report(PAN_LEFT), report(PAN_LEFT)]);
    expect(opener.devices[0]!.closed).toBe(true);
    expect(events).toEqual(['connected', 'disconnected']);

    // The device is still listed, so it is open again without an unplug, and no step repeats.
    await vi.advanceTimersByTimeAsync(100);
    expect(events).toEqual(['connected', 'disconnected', 'connected']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(opener.devices).toHaveLength(2);
    expect(opener.devices[1]!.reports).toEqual([]);

    // Unplugged: the next look at the list closes the connection.
    devices = [];
    await vi.advanceTimersByTimeAsync(1000);
    expect(hotplug.connection).toBeUndefined();
    expect(opener.devices[1]!.closed).toBe(true);
    expect(events).toEqual(['connected', 'disconnected', 'connected', 'disconnected']);

    // Plugged in again on other hidraw nodes: opened at the next look.
    devices = cameraInterfaces(7);
    await vi.advanceTimersByTimeAsync(1000);
    expect(hotplug.connection).toBeDefined();
    expect(openedPaths).toEqual(['/dev/hidraw4', '/dev/hidraw4', '/dev/hidraw8']);

    await hotplug.connection!.move({ pan: 0, tilt: 1 });
    await vi.advanceTimersByTimeAsync(200);
    await hotplug.connection!.stop();
    await vi.advanceTimersByTimeAsync(1000);

    expect(opener.last.reports).toEqual([report(TILT_UP), report(TILT_UP)]);
  });

  it('gives up after the retry time until replugged', async () => {
    devices = cameraInterfaces(0);
    failOpenUntil = Number.POSITIVE_INFINITY;
    hotplug.start();
    await vi.advanceTimersByTimeAsync(3000);
    const attempts = openAttempts;

    await vi.advanceTimersByTimeAsync(5000);
    expect(hotplug.connection).toBeUndefined();
    expect(attempts).toBe(31);
    expect(openAttempts).toBe(attempts);

    // Permissions fixed and the camera replugged: it opens.
    failOpenUntil = 0;
    devices = [];
    await vi.advanceTimersByTimeAsync(1000);
    devices = cameraInterfaces(0);
    await vi.advanceTimersByTimeAsync(1000);

    expect(hotplug.connection).toBeDefined();
    expect(openedPaths).toEqual(['/dev/hidraw1']);
  });

  it('closes the connection on stop', async () => {
    devices = cameraInterfaces(0);
    hotplug.start();
    const connection = hotplug.connection!;

    hotplug.stop();
    await vi.advanceTimersByTimeAsync(5000);

    expect(connection.closed).toBe(true);
    expect(opener.devices).toHaveLength(1);
  });
});
