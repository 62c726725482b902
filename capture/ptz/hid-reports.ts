import { buildReport, buildViscaReport, type BytePlaceholder, type HidProfile } from './hid-profile.js';
import type { PtzMove } from './ptz-driver.js';
import { middleOf, type Direction } from './ptz-values.js';
import {
  viscaHome,
  viscaMemoryRecall,
  viscaMemorySet,
  viscaPanTiltDrive,
  viscaPanTiltStop,
  viscaZoom,
} from './visca.js';

/*
 * The output reports that carry each driver request, for both kinds of HID
 * profile. A byte profile sends pan and tilt as separate commands, so a
 * diagonal move is two reports: pan first, then tilt. The callers check the
 * camera's capabilities first; for a byte profile, buildReport also throws the
 * unsupported-command TypeError for a command the profile lacks.
 */

/** Returns the reports of a move whose speeds resolveMove has already clamped. */
export function moveReports(profile: HidProfile, move: PtzMove): Buffer[] {
  if (profile.kind === 'visca') {
    return [buildViscaReport(profile, viscaPanTiltDrive(profile.visca.address, move))];
  }

  const values = { panSpeed: move.panSpeed, tiltSpeed: move.tiltSpeed };
  const reports: Buffer[] = [];

  if (move.pan !== 0) reports.push(buildReport(profile, move.pan === 1 ? 'panRight' : 'panLeft', values));
  if (move.tilt !== 0) reports.push(buildReport(profile, move.tilt === 1 ? 'tiltUp' : 'tiltDown', values));

  return reports;
}

/** Returns the reports that stop pan and tilt, or none for a camera without a stop command. */
export function stopReports(profile: HidProfile): Buffer[] {
  if (profile.kind === 'visca') {
    const { address, commands } = profile.visca;

    if (!commands.includes('pan') && !commands.includes('tilt')) return [];

    return [buildViscaReport(profile, viscaPanTiltStop(address))];
  }
  if (!profile.commands.panTiltStop) return [];

  // A stop command may carry speed bytes, which get the middle of each range.
  const values: Partial<Record<BytePlaceholder, number>> = {
    panSpeed: profile.panSpeed && middleOf(profile.panSpeed),
    tiltSpeed: profile.tiltSpeed && middleOf(profile.tiltSpeed),
  };

  return [buildReport(profile, 'panTiltStop', values)];
}

/** Returns the reports that zoom in (1), out (-1) or stop zooming (0), or none for a stop the camera lacks. */
export function zoomReports(profile: HidProfile, direction: Direction): Buffer[] {
  if (profile.kind === 'visca') {
    const packet = viscaZoom(profile.visca.address, direction, profile.visca.zoomSpeed);

    return [buildViscaReport(profile, packet)];
  }
  if (direction === 0) return profile.commands.zoomStop ? [buildReport(profile, 'zoomStop')] : [];

  return [buildReport(profile, direction === 1 ? 'zoomIn' : 'zoomOut')];
}

export function homeReports(profile: HidProfile): Buffer[] {
  if (profile.kind === 'visca') return [buildViscaReport(profile, viscaHome(profile.visca.address))];

  return [buildReport(profile, 'home')];
}

export function presetReports(profile: HidProfile, action: 'recall' | 'save', preset: number): Buffer[] {
  if (profile.kind === 'visca') {
    const { address } = profile.visca;
    const packet = action === 'recall' ? viscaMemoryRecall(address, preset) : viscaMemorySet(address, preset);

    return [buildViscaReport(profile, packet)];
  }

  return [buildReport(profile, action === 'recall' ? 'presetRecall' : 'presetSave', { preset })];
}
