import { setTimeout as sleep } from 'node:timers/promises';
import HID from 'node-hid';
import { createLogger } from '../../appliance/log.js';
import { findHidInterface, listHidDevices, openHidDevice, openHidPath } from './hid-open.js';
import { HidInputReader } from './hid-input.js';
import { loadInputProfile, readInputReport, type InputProfile } from './input-profile.js';
import { loadProfile, profileCapabilities } from './hid-profile.js';
import { HidTransport } from './hid-transport.js';
import { CAMERA_PROFILES_DIR, INPUT_PROFILES_DIR, resolveProfilePath } from './profile-path.js';
import { describeHidInterfaces, describeInputReport, describeProfile, driveCheck } from './ptz-check-steps.js';

const USAGE = `usage: ptz-check list | show PROFILE | drive PROFILE | input INPUT-PROFILE
  PROFILE is a shipped profile's name (as in ptz.hid.profile) or the path of a .json file
  list    lists the HID interfaces with their ids, usage page and usage
  show    validates a camera profile and prints the report of each command
  drive   opens the camera and runs each supported move for one second
  input   opens a joystick or keypad and prints each input report and what the profile reads from it, until Ctrl-C`;

/**
 * Runs the on-site check of a HID PTZ camera and its profile from the
 * installed tree: node dist/capture/ptz/ptz-check.js COMMAND. docs/ptz.md
 * lists the steps.
 */
async function main(args: string[]): Promise<number> {
  const [command, path] = args;
  const print = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };

  if (command === 'list' && path === undefined) {
    describeHidInterfaces(HID.devices()).forEach(print);

    return 0;
  }
  if (command === 'show' && path !== undefined) {
    const profile = loadProfile(resolveProfilePath(path, CAMERA_PROFILES_DIR));

    describeProfile(profile, profileCapabilities(profile)).forEach(print);

    return 0;
  }
  if (command === 'drive' && path !== undefined) {
    const profile = loadProfile(resolveProfilePath(path, CAMERA_PROFILES_DIR));
    const driver = new HidTransport({ profile, openDevice: openHidDevice, logger: createLogger('warn') });
    const interrupt = (): void => driver.close();

    process.once('SIGINT', interrupt);
    try {
      await driveCheck(driver, print, (ms) => sleep(ms));
    } finally {
      process.off('SIGINT', interrupt);
      driver.close();
    }

    return 0;
  }

  if (command === 'input' && path !== undefined) {
    await watchInput(loadInputProfile(resolveProfilePath(path, INPUT_PROFILES_DIR)), print);

    return 0;
  }

  process.stderr.write(`${USAGE}\n`);

  return 2;
}

/** Prints the input reports of the profile's device until SIGINT. */
async function watchInput(profile: InputProfile, print: (line: string) => void): Promise<void> {
  const match = findHidInterface(listHidDevices(), profile);

  if (!match?.path) {
    throw new Error('no matching HID interface found; compare the profile with the output of ptz-check list');
  }

  const reader = new HidInputReader(openHidPath(match.path), createLogger('warn'));

  print(`reading ${match.path}; move each stick and press each button, Ctrl-C ends`);
  reader.on('report', (report) => print(describeInputReport(report, readInputReport(profile, report))));
  await new Promise<void>((resolve) => {
    reader.once('close', () => resolve());
    process.once('SIGINT', () => reader.close());
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ptz-check: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
