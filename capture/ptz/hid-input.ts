import { EventEmitter } from 'node:events';
import type { Logger } from '../../appliance/log.js';
import type { HidConnection } from './hid-hotplug.js';

/** The part of node-hid's HID class (node-hid 3) that reads input reports. */
export interface HidInputDevice {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): void;
}

export type HidInputReaderEvents = {
  /** One input report as node-hid delivers it (report id first on devices with numbered reports). */
  report: [Buffer];
  /** Emitted once: "closed" after close(), "device-gone" after a read error. */
  close: ['closed' | 'device-gone'];
};

/**
 * Reads the input reports of a joystick or keypad. node-hid reads in its own
 * thread once a "data" listener is attached. It emits "error" when a read
 * fails, as when the device is unplugged, and the reader then closes as
 * "device-gone".
 */
export class HidInputReader extends EventEmitter<HidInputReaderEvents> implements HidConnection {
  readonly #device: HidInputDevice;
  readonly #logger: Logger;
  #closed = false;

  constructor(device: HidInputDevice, logger: Logger) {
    super();
    this.#device = device;
    this.#logger = logger;
    device.on('data', (data) => {
      if (!this.#closed) this.emit('report', data);
    });
    device.on('error', (error) => {
      this.#logger.error({ err: error }, 'reading the HID input device failed');
      this.#close('device-gone');
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#close('closed');
  }

  #close(reason: 'closed' | 'device-gone'): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#device.close();
    } catch (error) {
      this.#logger.warn({ err: error }, 'HID input device failed to close');
    }
    this.emit('close', reason);
  }
}
