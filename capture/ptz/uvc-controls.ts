import type { PtzCapabilities, PtzCommand } from './ptz-driver.js';
import type { IntegerRange } from './ptz-values.js';

/*
 * The V4L2 controls of a UVC camera's pan, tilt and zoom, as v4l2-ctl names
 * them, and the v4l2-ctl argument lists that read and set them.
 *
 * NOTE: that uvcvideo maps the UVC camera-terminal controls PanTilt (Relative)
 * to pan_speed and tilt_speed and Zoom (Relative) to zoom_continuous is not
 * checked against the driver's source or a camera. The absolute controls
 * appear in the recorded C920 listing.
 */

/** One integer control from `v4l2-ctl --list-ctrls`. */
export type V4l2Control = {
  name: string;
  type: string;
  min: number;
  max: number;
  step: number;
  default: number;
  value: number;
};

export const UVC_SPEED_CONTROLS = ['pan_speed', 'tilt_speed', 'zoom_continuous'] as const;
export const UVC_ABSOLUTE_CONTROLS = ['pan_absolute', 'tilt_absolute', 'zoom_absolute'] as const;

export type UvcAbsoluteControl = (typeof UVC_ABSOLUTE_CONTROLS)[number];

/** A camera position as the values of its absolute controls. */
export type UvcPosition = Partial<Record<UvcAbsoluteControl, number>>;

/** The request of one v4l2-ctl run. Speeds are signed: 0 stops, and the sign gives the direction. */
export type UvcRequest =
  | { kind: 'list-controls' }
  | { kind: 'drive'; panSpeed?: number; tiltSpeed?: number }
  | { kind: 'zoom'; speed: number }
  | { kind: 'set-position'; position: UvcPosition }
  | { kind: 'get-position'; controls: readonly UvcAbsoluteControl[] };

/** Builds the v4l2-ctl arguments (without the program name) for one request on a device such as /dev/video0. */
export function uvcControlArgs(device: string, request: UvcRequest): string[] {
  switch (request.kind) {
    case 'list-controls':
      return ['-d', device, '--list-ctrls'];
    case 'drive':
      return ['-d', device, `--set-ctrl=${controlAssignments({ pan_speed: request.panSpeed, tilt_speed: request.tiltSpeed })}`];
    case 'zoom':
      return ['-d', device, `--set-ctrl=zoom_continuous=${integer('zoom speed', request.speed)}`];
    case 'set-position':
      return ['-d', device, `--set-ctrl=${controlAssignments(request.position)}`];
    case 'get-position':
      if (request.controls.length === 0) throw new RangeError('a v4l2-ctl --get-ctrl request needs at least one control name');

      return ['-d', device, `--get-ctrl=${request.controls.join(',')}`];
  }
}

function controlAssignments(values: Record<string, number | undefined>): string {
  const assignments = Object.entries(values)
    .filter((entry): entry is [string, number] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${integer(name, value)}`);

  if (assignments.length === 0) throw new RangeError('a v4l2-ctl --set-ctrl request needs at least one control value');

  return assignments.join(',');
}

function integer(name: string, value: number): number {
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be an integer, got ${String(value)}`);

  return value;
}

const CONTROL_LINE = /^\s*([a-z0-9_]+) 0x[0-9a-f]+ \((\w+)\)\s*:(.*)$/;

/**
 * Parses the integer controls of `v4l2-ctl --list-ctrls` (or the controls part
 * of `--all`), such as
 * `pan_absolute 0x009a0908 (int)    : min=-36000 max=36000 step=3600 default=0 value=0`.
 * Menu entries, bool and menu controls and other lines are skipped.
 */
export function parseV4l2Controls(listing: string): Map<string, V4l2Control> {
  const controls = new Map<string, V4l2Control>();

  for (const line of listing.split('\n')) {
    const match = CONTROL_LINE.exec(line);

    if (!match || match[2] !== 'int') continue;

    const fields = new Map(
      [...(match[3] ?? '').matchAll(/([a-z]+)=(-?\d+)/g)].map((field) => [field[1], Number(field[2])] as const),
    );
    const min = fields.get('min');
    const max = fields.get('max');

    if (min === undefined || max === undefined) continue;
    controls.set(match[1] ?? '', {
      name: match[1] ?? '',
      type: 'int',
      min,
      max,
      step: fields.get('step') ?? 1,
      default: fields.get('default') ?? 0,
      value: fields.get('value') ?? 0,
    });
  }

  return controls;
}

/** Parses `v4l2-ctl --get-ctrl` output, one `name: value` line per control. */
export function parseV4l2ControlValues(output: string): Map<string, number> {
  const values = new Map<string, number>();

  for (const match of output.matchAll(/^([a-z0-9_]+): (-?\d+)\s*$/gm)) {
    values.set(match[1] ?? '', Number(match[2]));
  }

  return values;
}

/** Returns the speeds 1..max of a signed speed control, or undefined when the control is missing or has no positive speed. */
export function speedRange(control: V4l2Control | undefined): IntegerRange | undefined {
  if (!control || control.max < 1) return undefined;

  return { min: 1, max: control.max };
}

/**
 * Derives the driver's capabilities from the camera's controls: pan, tilt and
 * zoom need the speed controls (pan_speed, tilt_speed, zoom_continuous), home
 * needs pan_absolute or tilt_absolute, and presets need any absolute control.
 */
export function uvcCapabilities(controls: ReadonlyMap<string, V4l2Control>, presets: IntegerRange): PtzCapabilities {
  const commands: PtzCommand[] = [];
  const panSpeed = speedRange(controls.get('pan_speed'));
  const tiltSpeed = speedRange(controls.get('tilt_speed'));

  if (panSpeed) commands.push('pan');
  if (tiltSpeed) commands.push('tilt');
  if (speedRange(controls.get('zoom_continuous'))) commands.push('zoom');
  if (controls.has('pan_absolute') || controls.has('tilt_absolute')) commands.push('home');

  const hasAbsolute = UVC_ABSOLUTE_CONTROLS.some((name) => controls.has(name));

  if (hasAbsolute) commands.push('presetRecall', 'presetSave');

  return { commands, panSpeed, tiltSpeed, presets: hasAbsolute ? presets : undefined };
}
