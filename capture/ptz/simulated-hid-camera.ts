import { EventEmitter } from 'node:events';
import { buildReport, type ByteCommand, type ByteHidProfile } from './hid-profile.js';
import type { HidDevice } from './hid-transport.js';
import type { SimulatedCamera } from './simulated-camera.js';
import type { Direction } from './ptz-values.js';

/** The effect of each step command of a byte profile on the simulated camera. */
const STEP_EFFECTS: Partial<Record<ByteCommand, { pan?: Direction; tilt?: Direction; zoom?: Direction }>> = {
  panLeft: { pan: -1 },
  panRight: { pan: 1 },
  tiltUp: { tilt: 1 },
  tiltDown: { tilt: -1 },
  zoomIn: { zoom: 1 },
  zoomOut: { zoom: -1 },
};

/**
 * A fake HID camera at the node-hid boundary: it accepts the exact output
 * reports of a byte profile (such as the Logitech PTZ Pro 2's) and moves the
 * simulated camera one step per report. A report that matches no command of
 * the profile throws, as a real device would reject it.
 */
export class SimulatedHidCamera extends EventEmitter<{ error: [Error] }> implements HidDevice {
  readonly #camera: SimulatedCamera;
  readonly #commands = new Map<string, ByteCommand>();
  readonly #reports: string[] = [];
  #closed = false;

  constructor(profile: ByteHidProfile, camera: SimulatedCamera) {
    super();
    this.#camera = camera;
    for (const command of Object.keys(STEP_EFFECTS) as ByteCommand[]) {
      if (profile.commands[command]) this.#commands.set(buildReport(profile, command).toString('hex'), command);
    }
  }

  /** Every report written so far, as hex. */
  get reports(): readonly string[] {
    return this.#reports;
  }

  write(data: number[] | Buffer): number {
    const report = Buffer.from(data);
    const command = this.#commands.get(report.toString('hex'));

    if (!command) throw new Error(`simulated camera: report ${report.toString('hex')} matches no command of the profile`);
    this.#reports.push(report.toString('hex'));

    const effect = STEP_EFFECTS[command]!;
    const moved = effect.zoom ? this.#camera.zoom(effect.zoom) : this.#camera.step(effect.pan ?? 0, effect.tilt ?? 0);

    moved.catch((error: Error) => this.#fail(error));

    return report.length;
  }

  close(): void {
    this.#closed = true;
    this.removeAllListeners();
  }

  /** Reports a failed move like a device error, unless the device is closed (steps may still be in flight). */
  #fail(error: Error): void {
    if (this.#closed || this.listenerCount('error') === 0) return;
    this.emit('error', error);
  }
}
