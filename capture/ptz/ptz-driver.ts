import type { EventEmitter } from 'node:events';
import { checkDirection, checkInteger, clampSpeed, middleOf, type Direction, type IntegerRange } from './ptz-values.js';

export type { Direction, IntegerRange } from './ptz-values.js';

/** Commands a PTZ camera may support. */
export const PTZ_COMMANDS = ['pan', 'tilt', 'zoom', 'home', 'presetRecall', 'presetSave'] as const;

export type PtzCommand = (typeof PTZ_COMMANDS)[number];

/** The commands, speed ranges and preset numbers of one camera, derived from its profile. */
export type PtzCapabilities = {
  commands: readonly PtzCommand[];
  /** Pan speeds the camera takes, or undefined when it pans at one fixed speed. */
  panSpeed?: IntegerRange;
  /** Tilt speeds the camera takes, or undefined when it tilts at one fixed speed. */
  tiltSpeed?: IntegerRange;
  /** Preset numbers, when the camera supports presetRecall or presetSave. */
  presets?: IntegerRange;
};

/** A continuous pan/tilt move that lasts until stop() or the next move. */
export type PtzMove = {
  pan: Direction;
  tilt: Direction;
  /** In the units of capabilities.panSpeed and clamped to its range. Ignored for a camera without pan speeds. */
  panSpeed?: number;
  /** In the units of capabilities.tiltSpeed and clamped to its range. Ignored for a camera without tilt speeds. */
  tiltSpeed?: number;
};

/** The reason a driver closed: close() was called, or the device failed or went away. */
export type PtzCloseReason = 'closed' | 'device-gone';

export type PtzDriverEvents = {
  /**
   * A write or the device failed, and the driver closes right after. Emitted only
   * while a listener is attached, so that a failure inside a timer does not
   * throw.
   */
  error: [Error];
  /** Emitted once, when the driver closes. */
  close: [PtzCloseReason];
};

/**
 * One PTZ camera behind one transport (HID, VISCA over IP, ...). Commands
 * resolve once the transport has sent them, without waiting for the camera
 * to finish moving. Unsupported commands reject with a TypeError, and every
 * command rejects once the driver is closed.
 */
export interface PtzDriver extends EventEmitter<PtzDriverEvents> {
  /** The camera profile's name, as error messages and logs show it. */
  readonly profileName: string;
  readonly capabilities: PtzCapabilities;
  readonly closed: boolean;
  /** Starts a continuous move, or stops when pan and tilt are 0. */
  move(move: PtzMove): Promise<void>;
  /** Stops pan and tilt at once. Resolves also for a camera that neither pans nor tilts. */
  stop(): Promise<void>;
  /** Zooms in (1) or out (-1) until zoom(0). */
  zoom(direction: Direction): Promise<void>;
  home(): Promise<void>;
  recallPreset(preset: number): Promise<void>;
  savePreset(preset: number): Promise<void>;
  /**
   * For a camera whose presets Podium keeps (UVC): the control values saved
   * as this preset, for the store. Cameras with their own preset memory lack it.
   */
  presetPosition?(preset: number): Record<string, number> | undefined;
  /** Takes control values from presetPosition() back as a preset, after a restart. */
  restorePresetPosition?(preset: number, position: Record<string, number>): void;
  /** Stops any move or zoom the driver started and releases the device. Safe to call more than once. */
  close(): void;
}

/** Returns the TypeError for a command that the camera profile does not support. */
export function unsupportedCommandError(command: string, profileName: string): TypeError {
  return new TypeError(`${command} is not supported by camera profile "${profileName}"`);
}

/**
 * Validates a move against the capabilities and returns it with the speeds
 * clamped to the camera's ranges, or the range's middle where the move gives
 * none. Throws the unsupported-command TypeError for a pan or tilt the camera
 * lacks.
 */
export function resolveMove(
  move: PtzMove,
  capabilities: PtzCapabilities,
  profileName: string,
): PtzMove {
  checkDirection('pan', move.pan);
  checkDirection('tilt', move.tilt);

  if (move.pan !== 0 && !capabilities.commands.includes('pan')) {
    throw unsupportedCommandError('pan', profileName);
  }
  if (move.tilt !== 0 && !capabilities.commands.includes('tilt')) {
    throw unsupportedCommandError('tilt', profileName);
  }

  return {
    pan: move.pan,
    tilt: move.tilt,
    panSpeed: speedWithin('panSpeed', move.panSpeed, capabilities.panSpeed),
    tiltSpeed: speedWithin('tiltSpeed', move.tiltSpeed, capabilities.tiltSpeed),
  };
}

function speedWithin(name: string, speed: number | undefined, range: IntegerRange | undefined): number | undefined {
  if (!range) return undefined;

  return clampSpeed(name, speed ?? middleOf(range), range);
}

/** Throws a RangeError unless the preset is an integer inside the camera's preset range. */
export function checkPreset(preset: number, capabilities: PtzCapabilities, profileName: string): void {
  const range = capabilities.presets;

  if (!range) throw unsupportedCommandError('presets', profileName);

  checkInteger(`preset of camera profile "${profileName}"`, preset, range);
}
