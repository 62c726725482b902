import HID from 'node-hid';
import type { HidProfile } from './hid-profile.js';
import type { HidDevice } from './hid-transport.js';

/** Returns the HID interface that matches the profile's ids, usage page and usage, or undefined. */
export function findHidInterface(devices: readonly HID.Device[], profile: HidProfile): HID.Device | undefined {
  return devices.find(
    (device) =>
      device.vendorId === profile.vendorId &&
      device.productId === profile.productId &&
      device.usagePage === profile.usagePage &&
      device.usage === profile.usage &&
      device.path !== undefined,
  );
}

/**
 * Opens the profile's HID interface with node-hid (hidraw on Linux). A camera
 * may have several HID interfaces, so the match on usage page and usage picks
 * the one that takes the commands. Throws when no interface matches or the open
 * fails, for example for lack of permission on /dev/hidraw*.
 */
export function openHidDevice(profile: HidProfile): HidDevice {
  const match = findHidInterface(HID.devices(profile.vendorId, profile.productId), profile);

  if (!match?.path) {
    throw new Error(
      'no matching HID interface found; check that the camera is plugged in ' +
        'and compare the profile with the output of ptz-check list',
    );
  }

  return new HID.HID(match.path);
}
