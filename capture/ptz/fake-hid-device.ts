import { EventEmitter } from 'node:events';
import type { HidProfile } from './hid-profile.js';
import type { HidDevice } from './hid-transport.js';

/**
 * A HID device in memory for tests and the simulated camera. It records every
 * written report as bytes and throws on a report whose length differs from
 * the profile's reportLength. After failNextWrite(), the next write throws.
 */
export class FakeHidDevice extends EventEmitter<{ error: [Error] }> implements HidDevice {
  readonly profile: HidProfile;
  /** Every report written so far, report id first. */
  readonly reports: number[][] = [];
  #closed = false;
  #nextWriteError: Error | undefined;

  constructor(profile: HidProfile) {
    super();
    this.profile = profile;
  }

  get closed(): boolean {
    return this.#closed;
  }

  write(data: number[] | Buffer): number {
    if (this.#closed) throw new TypeError('Cannot write to closed device');

    const error = this.#nextWriteError;

    if (error) {
      this.#nextWriteError = undefined;
      throw error;
    }
    if (data.length !== this.profile.reportLength) {
      throw new RangeError(
        `report of ${data.length} bytes written; camera profile "${this.profile.name}" ` +
          `has reportLength ${this.profile.reportLength}`,
      );
    }
    this.reports.push([...data]);

    return data.length;
  }

  close(): void {
    this.#closed = true;
  }

  /** Makes the next write throw this error, as node-hid does when the device is unplugged. */
  failNextWrite(error: Error = new TypeError('Cannot write to hid device')): void {
    this.#nextWriteError = error;
  }

  /** Emits "error" as node-hid does when a read from the device fails. */
  emitDeviceError(error: Error = new Error('could not read from HID device')): void {
    this.emit('error', error);
  }
}

/** Opens FakeHidDevices and keeps each one. After failNextOpen(), the next open throws. */
export class FakeHidOpener {
  /** Every device opened so far, the latest last. */
  readonly devices: FakeHidDevice[] = [];
  #nextOpenError: Error | undefined;

  /** Opens a device for the profile. A bound function, so it can be passed as HidTransportOptions.openDevice. */
  readonly open = (profile: HidProfile): FakeHidDevice => {
    const error = this.#nextOpenError;

    if (error) {
      this.#nextOpenError = undefined;
      throw error;
    }

    const device = new FakeHidDevice(profile);

    this.devices.push(device);

    return device;
  };

  /** Makes the next open throw this error, as node-hid does without permission on /dev/hidraw*. */
  failNextOpen(error: Error = new TypeError('cannot open device with path /dev/hidraw0')): void {
    this.#nextOpenError = error;
  }

  /** The latest device opened. Throws when none was. */
  get last(): FakeHidDevice {
    const device = this.devices.at(-1);

    if (!device) throw new Error('no fake HID device has been opened');

    return device;
  }
}

/** A joystick or keypad in memory: a test sends input reports with emitReport(). */
export class FakeHidInputDevice extends EventEmitter<{ data: [Buffer]; error: [Error] }> {
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  /** Emits one input report as node-hid does, unless the device is closed. */
  emitReport(bytes: number[]): void {
    if (!this.#closed) this.emit('data', Buffer.from(bytes));
  }

  /** Emits "error" as node-hid does when a read fails, for example after an unplug. */
  emitDeviceError(error: Error = new Error('could not read from HID device')): void {
    this.emit('error', error);
  }

  close(): void {
    this.#closed = true;
  }
}
