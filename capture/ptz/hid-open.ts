import HID from 'node-hid';
import { findHidInterface } from './hid-hotplug.js';
import type { HidProfile } from './hid-profile.js';
import type { HidDevice } from './hid-transport.js';

export { findHidInterface } from './hid-hotplug.js';

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

/** Opens the HID interface at a hidraw path with node-hid. Throws when the open fails. */
export function openHidPath(path: string): HID.HID {
  return new HID.HID(path);
}

/** Lists every HID interface with node-hid. */
export function listHidDevices(): HID.Device[] {
  return HID.devices();
}
