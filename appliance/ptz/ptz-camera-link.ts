import type { Logger } from '../log.js';
import { HidHotplug, type HidHotplugOptions } from '../../capture/ptz/hid-hotplug.js';
import type { HidProfile } from '../../capture/ptz/hid-profile.js';
import { HidTransport, type HidDevice } from '../../capture/ptz/hid-transport.js';
import type { PtzDriver } from '../../capture/ptz/ptz-driver.js';

/**
 * A configured real PTZ camera that may be connected or not. The driver is
 * there while the camera is connected; the link reconnects by itself.
 */
export interface PtzCameraLink {
  /** The driver of the connected camera, or undefined while it is not connected. */
  readonly driver: PtzDriver | undefined;
  /** The configured camera's name for the console and logs, such as the profile name or the address. */
  readonly description: string;
  start(): void;
  close(): void;
}

export type HidCameraLinkOptions = Omit<HidHotplugOptions<HidTransport>, 'match' | 'open'> & {
  profile: HidProfile;
  /** Opens the hidraw path: node-hid's HID class outside tests. */
  openPath: (path: string) => HidDevice;
};

/** A HID camera found by its profile's ids and usage, opened when it is plugged in. */
export class HidCameraLink implements PtzCameraLink {
  readonly description: string;
  readonly #hotplug: HidHotplug<HidTransport>;

  constructor(options: HidCameraLinkOptions) {
    const { profile, openPath, logger } = options;

    this.description = profile.name;
    this.#hotplug = new HidHotplug({
      ...options,
      match: profile,
      open: (path) => new HidTransport({ profile, openDevice: () => openPath(path), logger }),
    });
  }

  get driver(): PtzDriver | undefined {
    return this.#hotplug.connection;
  }

  start(): void {
    this.#hotplug.start();
  }

  close(): void {
    this.#hotplug.stop();
  }
}

export type ReopeningCameraLinkOptions = {
  description: string;
  /** Opens the link to the camera; rejects when it cannot. */
  open: () => Promise<PtzDriver>;
  logger: Logger;
  /** Wait before the next open after a failed open or a lost link. */
  retryMs?: number;
};

/** Wait of ReopeningCameraLink between two opens. */
export const PTZ_REOPEN_MS = 5000;

/**
 * A camera behind VISCA over UDP or serial, or UVC controls. It opens the
 * link at start and again retryMs after a failed open or after the driver
 * closed as "device-gone". Failed opens are logged once until one succeeds.
 */
export class ReopeningCameraLink implements PtzCameraLink {
  readonly description: string;
  readonly #options: ReopeningCameraLinkOptions;
  readonly #logger: Logger;
  #driver: PtzDriver | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #closed = false;

  constructor(options: ReopeningCameraLinkOptions) {
    this.description = options.description;
    this.#options = options;
    this.#logger = options.logger;
  }

  get driver(): PtzDriver | undefined {
    return this.#driver;
  }

  start(): void {
    void this.#open();
  }

  close(): void {
    const driver = this.#driver;

    this.#closed = true;
    this.#driver = undefined;
    clearTimeout(this.#timer);
    driver?.close();
  }

  async #open(): Promise<void> {
    let driver: PtzDriver;

    try {
      driver = await this.#options.open();
    } catch (error) {
      if (this.#failures === 0) {
        this.#logger.error({ err: error, camera: this.description }, 'cannot open the PTZ camera, retrying');
      } else {
        this.#logger.debug({ err: error, attempt: this.#failures + 1 }, 'PTZ camera open failed again');
      }
      this.#failures++;
      this.#retry();

      return;
    }
    if (this.#closed) {
      driver.close();

      return;
    }
    this.#failures = 0;
    this.#driver = driver;
    driver.once('close', (reason) => {
      if (this.#driver !== driver) return;
      this.#driver = undefined;
      this.#logger.warn({ reason, camera: this.description }, 'PTZ camera disconnected');
      if (reason === 'device-gone') this.#retry();
    });
    this.#logger.info({ camera: this.description }, 'PTZ camera connected');
  }

  #retry(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#open(), this.#options.retryMs ?? PTZ_REOPEN_MS);
  }
}
