import type HID from 'node-hid';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findHidInterface } from './hid-open.js';
import { loadProfile } from './hid-profile.js';

const PROFILE = loadProfile(fileURLToPath(new URL('./profiles/logitech-ptz-pro-2.json', import.meta.url)));

/** Builds one HID interface entry as node-hid's devices() lists it. */
function hidInterface(overrides: Partial<HID.Device>): HID.Device {
  return {
    vendorId: 0x046d,
    productId: 0x085f,
    path: '/dev/hidraw0',
    release: 0,
    interface: 0,
    usagePage: 0x000c,
    usage: 0x01,
    ...overrides,
  };
}

describe('findHidInterface', () => {
  it('picks interface by usage page', () => {
    const devices = [
      hidInterface({ path: '/dev/hidraw0', usagePage: 0x000c }),
      hidInterface({ path: '/dev/hidraw1', usagePage: 0xff00, interface: 4 }),
    ];

    expect(findHidInterface(devices, PROFILE)?.path).toBe('/dev/hidraw1');
  });

  it('requires matching usage', () => {
    const devices = [hidInterface({ usagePage: 0xff00, usage: 0x02 })];

    expect(findHidInterface(devices, PROFILE)).toBeUndefined();
  });

  it('requires matching product', () => {
    const devices = [hidInterface({ productId: 0x0853, usagePage: 0xff00 })];

    expect(findHidInterface(devices, PROFILE)).toBeUndefined();
  });

  it('skips interface without path', () => {
    const devices = [
      hidInterface({ path: undefined, usagePage: 0xff00 }),
      hidInterface({ path: '/dev/hidraw5', usagePage: 0xff00 }),
    ];

    expect(findHidInterface(devices, PROFILE)?.path).toBe('/dev/hidraw5');
  });
});
