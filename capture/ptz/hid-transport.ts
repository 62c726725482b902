import { EventEmitter } from 'node:events';
import type { Logger } from '../../appliance/log.js';
import { profileCapabilities, type HidProfile } from './hid-profile.js';
import { homeReports, moveReports, presetReports, stopReports, zoomReports } from './hid-reports.js';
import {
  checkPreset,
  resolveMove,
  unsupportedCommandError,
  type PtzCapabilities,
  type PtzCloseReason,
  type PtzCommand,
  type PtzDriver,
  type PtzDriverEvents,
  type PtzMove,
} from './ptz-driver.js';
import { checkDirection, type Direction } from './ptz-values.js';

/** The part of node-hid's HID class (node-hid 3) that the transport uses. */
export interface HidDevice {
  /** Writes one output report, report id first. Returns the bytes written and throws on failure. */
  write(data: number[] | Buffer): number;
  close(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Opens the HID interface of a profile's camera, or throws when it cannot. */
export type HidDeviceOpener = (profile: HidProfile) => HidDevice;

export type HidTransportOptions = {
  profile: HidProfile;
  openDevice: HidDeviceOpener;
  logger: Logger;
};

/** Returns the profile's USB ids and HID usage as one line, such as "046d:085f usage page 0xff00 usage 0x01". */
export function describeHidIds(profile: HidProfile): string {
  const hex = (value: number, digits: number): string => value.toString(16).padStart(digits, '0');

  return (
    `${hex(profile.vendorId, 4)}:${hex(profile.productId, 4)} ` +
    `usage page 0x${hex(profile.usagePage, 4)} usage 0x${hex(profile.usage, 2)}`
  );
}

/**
 * A PTZ camera driven through HID output reports. For a profile with
 * repeatMs, a held move or zoom writes its step report at once and again every
 * repeatMs until stop(), zoom(0), a different move or close. The same move
 * again leaves the running repeat as it is. Writes are synchronous, so a stop
 * cancels the repeat timer and sends its own report before any other write.
 * A failed write or a device error emits "error" and closes the driver with
 * the reason "device-gone".
 */
export class HidTransport extends EventEmitter<PtzDriverEvents> implements PtzDriver {
  readonly profile: HidProfile;
  readonly capabilities: PtzCapabilities;
  readonly #device: HidDevice;
  readonly #logger: Logger;
  #closed = false;
  #moveRepeat: RepeatingStep | undefined;
  #zoomRepeat: RepeatingStep | undefined;
  /** Whether a move or zoom was started and not stopped, so close() sends the stop. */
  #moving = false;
  #zooming = false;

  /** Opens the device, or throws an Error naming the profile and ids when that fails. */
  constructor(options: HidTransportOptions) {
    super();
    this.profile = options.profile;
    this.capabilities = profileCapabilities(options.profile);
    this.#logger = options.logger.child({ ptzProfile: options.profile.name });

    try {
      this.#device = options.openDevice(options.profile);
    } catch (error) {
      throw new Error(
        `cannot open the HID device of camera profile "${this.profile.name}" (${describeHidIds(this.profile)}): ` +
          `${errorMessage(error)}`,
        { cause: error },
      );
    }

    this.#device.on('error', (error) => this.#fail(error));
    this.#logger.info({ device: describeHidIds(this.profile) }, 'PTZ camera opened');
  }

  get profileName(): string {
    return this.profile.name;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async move(move: PtzMove): Promise<void> {
    this.#assertOpen();

    const resolved = resolveMove(move, this.capabilities, this.profile.name);

    if (resolved.pan === 0 && resolved.tilt === 0) return this.stop();

    const reports = moveReports(this.profile, resolved);

    // A page that sends the held move again must not speed up the steps.
    if (isRepeating(this.#moveRepeat, reports)) return;

    this.#moveRepeat = cancelRepeat(this.#moveRepeat);
    this.#moving = true;
    this.#write(reports);
    this.#moveRepeat = this.#startRepeat(reports);
  }

  async stop(): Promise<void> {
    this.#assertOpen();
    this.#moveRepeat = cancelRepeat(this.#moveRepeat);
    this.#moving = false;
    this.#write(stopReports(this.profile));
  }

  async zoom(direction: Direction): Promise<void> {
    this.#assertOpen();
    checkDirection('zoom', direction);
    this.#assertSupported('zoom');

    const reports = zoomReports(this.profile, direction);

    if (isRepeating(this.#zoomRepeat, reports)) return;

    this.#zoomRepeat = cancelRepeat(this.#zoomRepeat);
    this.#zooming = direction !== 0;
    this.#write(reports);
    if (direction !== 0) this.#zoomRepeat = this.#startRepeat(reports);
  }

  /** Ends any held move or zoom, because the camera drives to its home position by itself. */
  async home(): Promise<void> {
    this.#assertOpen();
    this.#assertSupported('home');
    this.#cancelAllRepeats();
    this.#write(homeReports(this.profile));
  }

  /** Ends any held move or zoom, because the camera drives to the preset by itself. */
  async recallPreset(preset: number): Promise<void> {
    this.#assertOpen();
    this.#assertSupported('presetRecall');
    checkPreset(preset, this.capabilities, this.profile.name);
    this.#cancelAllRepeats();
    this.#write(presetReports(this.profile, 'recall', preset));
  }

  async savePreset(preset: number): Promise<void> {
    this.#assertOpen();
    this.#assertSupported('presetSave');
    checkPreset(preset, this.capabilities, this.profile.name);
    this.#write(presetReports(this.profile, 'save', preset));
  }

  close(): void {
    this.#close('closed');
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`PTZ camera of profile "${this.profile.name}" is closed`);
  }

  #assertSupported(command: PtzCommand): void {
    if (!this.capabilities.commands.includes(command)) throw unsupportedCommandError(command, this.profile.name);
  }

  #startRepeat(reports: Buffer[]): RepeatingStep | undefined {
    if (this.profile.kind !== 'bytes' || this.profile.repeatMs === undefined) return undefined;

    const timer = setInterval(() => {
      try {
        this.#write(reports);
      } catch {
        // #write has emitted "error" and closed the driver, which cleared this timer.
      }
    }, this.profile.repeatMs);

    return { timer, reports };
  }

  #cancelAllRepeats(): void {
    this.#moveRepeat = cancelRepeat(this.#moveRepeat);
    this.#zoomRepeat = cancelRepeat(this.#zoomRepeat);
    this.#moving = false;
    this.#zooming = false;
  }

  /** Writes the reports in order. On a failure, closes the driver as device gone and throws. */
  #write(reports: Buffer[]): void {
    for (const report of reports) {
      let written: number;

      try {
        written = this.#device.write(report);
      } catch (error) {
        throw this.#fail(error);
      }
      if (written !== report.length) {
        throw this.#fail(new Error(`wrote ${written} of ${report.length} bytes`));
      }
    }
  }

  /**
   * Logs the failure, emits "error" when a listener is attached (an "error"
   * event without one would throw from a timer), and closes the driver as
   * device gone. Returns the error for the caller to throw.
   */
  #fail(cause: unknown): Error {
    const error = new Error(
      `HID device of camera profile "${this.profile.name}" failed and is treated as gone: ${errorMessage(cause)}`,
      { cause },
    );

    if (this.#closed) return error;

    this.#logger.error({ err: cause }, 'PTZ camera device gone');
    if (this.listenerCount('error') > 0) this.emit('error', error);
    this.#close('device-gone');

    return error;
  }

  #close(reason: PtzCloseReason): void {
    if (this.#closed) return;

    const stopMove = this.#moving;
    const stopZoom = this.#zooming;

    this.#cancelAllRepeats();
    this.#closed = true;
    if (reason === 'closed') this.#writeStopsQuietly(stopMove, stopZoom);

    try {
      this.#device.close();
    } catch (error) {
      this.#logger.warn({ err: error }, 'PTZ camera device failed to close');
    }
    this.#logger.info({ reason }, 'PTZ camera closed');
    this.emit('close', reason);
  }

  /** Stops a continuous move or zoom before the device is released, ignoring a failure. */
  #writeStopsQuietly(stopMove: boolean, stopZoom: boolean): void {
    const reports = [
      ...(stopMove ? stopReports(this.profile) : []),
      ...(stopZoom ? zoomReports(this.profile, 0) : []),
    ];

    for (const report of reports) {
      try {
        this.#device.write(report);
      } catch (error) {
        this.#logger.warn({ err: error }, 'PTZ camera stop before close failed');

        return;
      }
    }
  }
}

/** A step report that a timer writes every repeatMs. */
type RepeatingStep = { timer: NodeJS.Timeout; reports: Buffer[] };

/** Clears the repeat's timer and returns undefined, for assigning back to the repeat's field. */
function cancelRepeat(repeat: RepeatingStep | undefined): undefined {
  if (repeat) clearInterval(repeat.timer);

  return undefined;
}

function isRepeating(repeat: RepeatingStep | undefined, reports: Buffer[]): boolean {
  return repeat !== undefined && Buffer.concat(repeat.reports).equals(Buffer.concat(reports));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
