import type HID from 'node-hid';
import { buildReport, type HidProfile } from './hid-profile.js';
import { BYTE_COMMANDS } from './hid-profile-schema.js';
import { homeReports, moveReports, presetReports, stopReports, zoomReports } from './hid-reports.js';
import { describeHidIds } from './hid-transport.js';
import type { InputState } from './input-profile.js';
import type { PtzCapabilities, PtzCommand, PtzDriver } from './ptz-driver.js';
import { middleOf, type IntegerRange } from './ptz-values.js';

/** Duration of each drive step, in milliseconds. */
export const STEP_MS = 1000;

/** Time the check gives the camera to drive home, in milliseconds. */
export const HOME_WAIT_MS = 5000;

function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** Returns one line per HID interface: ids, usage page, usage, path and product name. */
export function describeHidInterfaces(devices: readonly HID.Device[]): string[] {
  if (devices.length === 0) {
    return ['no HID interfaces found; check that the camera is plugged in and that this user may read /dev/hidraw*'];
  }

  return devices.map((device) =>
    [
      `vendorId ${hex(device.vendorId, 4)}`,
      `productId ${hex(device.productId, 4)}`,
      `usagePage ${device.usagePage === undefined ? '?' : hex(device.usagePage, 4)}`,
      `usage ${device.usage === undefined ? '?' : hex(device.usage, 2)}`,
      `interface ${device.interface}`,
      device.path ?? '(no path)',
      device.product ?? '',
    ]
      .join('  ')
      .trimEnd(),
  );
}

function reportHex(report: Buffer): string {
  return [...report].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Returns the lines that show a profile: its ids, what it supports, and the
 * report of each command at the middle speeds and the lowest preset number.
 */
export function describeProfile(profile: HidProfile, capabilities: PtzCapabilities): string[] {
  const lines = [
    `profile "${profile.name}" from ${profile.source}`,
    `device ${describeHidIds(profile)}, report id ${hex(profile.reportId, 2)}, ${profile.reportLength} bytes`,
    `supports ${capabilities.commands.join(', ') || 'nothing'}`,
  ];

  for (const [name, report] of profileReports(profile)) lines.push(`${name.padEnd(12)} ${reportHex(report)}`);

  return lines;
}

function profileReports(profile: HidProfile): [string, Buffer][] {
  if (profile.kind === 'bytes') {
    const middle = (range: IntegerRange | undefined) => range && middleOf(range);
    const values = {
      panSpeed: middle(profile.panSpeed),
      tiltSpeed: middle(profile.tiltSpeed),
      preset: profile.presets?.min,
    };

    return BYTE_COMMANDS.filter((name) => profile.commands[name]).map((name) => [
      name,
      buildReport(profile, name, values),
    ]);
  }

  const supported = new Set(profile.visca.commands);
  const entries: [string, Buffer][] = [];
  const add = (name: string, reports: Buffer[]) => reports.forEach((report) => entries.push([name, report]));

  if (supported.has('pan')) add('panLeft', moveReports(profile, { pan: -1, tilt: 0 }));
  if (supported.has('tilt')) add('tiltUp', moveReports(profile, { pan: 0, tilt: 1 }));
  add('panTiltStop', stopReports(profile));
  if (supported.has('zoom')) {
    add('zoomIn', zoomReports(profile, 1));
    add('zoomStop', zoomReports(profile, 0));
  }
  if (supported.has('home')) add('home', homeReports(profile));
  if (supported.has('presetRecall')) add('presetRecall', presetReports(profile, 'recall', 0));
  if (supported.has('presetSave')) add('presetSave', presetReports(profile, 'save', 0));

  return entries;
}

type DriveStep = {
  label: string;
  start: (driver: PtzDriver) => Promise<void>;
  durationMs: number;
  /** Ends the step. Absent for a step that the camera ends by itself. */
  end?: (driver: PtzDriver) => Promise<void>;
};

function driveSteps(commands: readonly PtzCommand[]): DriveStep[] {
  const stop = (driver: PtzDriver) => driver.stop();
  const zoomStop = (driver: PtzDriver) => driver.zoom(0);
  const steps: DriveStep[] = [];

  if (commands.includes('pan')) {
    steps.push({ label: 'pan left', start: (d) => d.move({ pan: -1, tilt: 0 }), durationMs: STEP_MS, end: stop });
    steps.push({ label: 'pan right', start: (d) => d.move({ pan: 1, tilt: 0 }), durationMs: STEP_MS, end: stop });
  }
  if (commands.includes('tilt')) {
    steps.push({ label: 'tilt up', start: (d) => d.move({ pan: 0, tilt: 1 }), durationMs: STEP_MS, end: stop });
    steps.push({ label: 'tilt down', start: (d) => d.move({ pan: 0, tilt: -1 }), durationMs: STEP_MS, end: stop });
  }
  if (commands.includes('zoom')) {
    steps.push({ label: 'zoom in', start: (d) => d.zoom(1), durationMs: STEP_MS, end: zoomStop });
    steps.push({ label: 'zoom out', start: (d) => d.zoom(-1), durationMs: STEP_MS, end: zoomStop });
  }
  if (commands.includes('home')) steps.push({ label: 'home', start: (d) => d.home(), durationMs: HOME_WAIT_MS });

  return steps;
}

/**
 * Drives each supported move for STEP_MS and then stops it, printing a
 * numbered line before each step so that the person at the camera can note
 * what it did. Presets are left alone, because saving one would overwrite the
 * camera's own. Stops at the first failure.
 */
export async function driveCheck(
  driver: PtzDriver,
  print: (line: string) => void,
  wait: (ms: number) => Promise<void>,
): Promise<void> {
  const steps = driveSteps(driver.capabilities.commands);

  for (const [index, step] of steps.entries()) {
    print(`${index + 1}. ${step.label} for ${step.durationMs / 1000} s`);
    await step.start(driver);
    await wait(step.durationMs);
    if (step.end) await step.end(driver);
  }
  print(`done: ${steps.length} steps; presets were not tried`);
}

/**
 * Returns one line for an input report of a joystick or keypad: its bytes and
 * what the input profile reads from it, such as "80 00 … -> pan -1 (left)".
 */
export function describeInputReport(report: Buffer, state: InputState): string {
  const parts: string[] = [];

  if (state.pan !== 0) parts.push(`pan ${state.pan} (${state.pan < 0 ? 'left' : 'right'})`);
  if (state.tilt !== 0) parts.push(`tilt ${state.tilt} (${state.tilt > 0 ? 'up' : 'down'})`);
  if (state.zoom !== 0) parts.push(`zoom ${state.zoom} (${state.zoom > 0 ? 'in' : 'out'})`);
  for (const button of state.pressed) parts.push(button);

  return `${reportHex(report)} -> ${parts.join(', ') || 'at rest'}`;
}
