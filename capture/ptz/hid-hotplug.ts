import { EventEmitter } from 'node:events';
import type HID from 'node-hid';
import type { Logger } from '../../appliance/log.js';

/** The ids and HID usage that pick one interface of a device. */
export type HidMatch = { vendorId: number; productId: number; usagePage: number; usage: number };

/** Something opened on a HID interface that emits "close" once, with "device-gone" when the device failed. */
export interface HidConnection {
  readonly closed: boolean;
  close(): void;
  once(event: 'close', listener: (reason: string) => void): unknown;
}

export type HidHotplugOptions<T extends HidConnection> = {
  match: HidMatch;
  /** Lists the HID interfaces now present: node-hid's devices() outside tests. */
  listDevices: () => HID.Device[];
  /** Opens the interface at this hidraw path. Throws when it cannot, for example without permission. */
  open: (path: string) => T;
  logger: Logger;
  /** How often the device list is read. */
  pollMs?: number;
  /** Wait between two open attempts after the device appeared. */
  openRetryMs?: number;
  /** How long open attempts go on after the device appeared, because udev sets permissions after the node exists. */
  openRetryForMs?: number;
};

export type HidHotplugEvents<T> = {
  /** The interface is open; the connection is the one to use until "disconnected". */
  connected: [T];
  /** The connection closed: the device went away or failed. */
  disconnected: [];
};

/** Defaults of HidHotplugOptions. node-hid 3 has no hot-plug events, so the list is polled. */
export const HID_POLL_MS = 1500;
export const HID_OPEN_RETRY_MS = 250;
export const HID_OPEN_RETRY_FOR_MS = 5000;

/** Returns the first interface in the list that matches the ids, usage page and usage and has a path. */
export function findHidInterface(devices: readonly HID.Device[], match: HidMatch): HID.Device | undefined {
  return devices.find(
    (device) =>
      device.vendorId === match.vendorId &&
      device.productId === match.productId &&
      device.usagePage === match.usagePage &&
      device.usage === match.usage &&
      device.path !== undefined,
  );
}

/**
 * Keeps a connection to one HID interface while its device is plugged in.
 * It reads the device list every pollMs. When the interface appears, it tries
 * to open it every openRetryMs for openRetryForMs, then waits until the
 * device is unplugged and plugged in again. A connection that closes
 * (a write or read error, "device-gone") or whose interface leaves the list
 * is closed and forgotten, and the search starts again after openRetryMs.
 */
export class HidHotplug<T extends HidConnection> extends EventEmitter<HidHotplugEvents<T>> {
  readonly #options: Required<HidHotplugOptions<T>>;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #connection: T | undefined;
  /** The path of the interface seen and not yet opened, with the time it first appeared. */
  #pending: { path: string; since: number; attempts: number } | undefined;
  /** A path whose open attempts ran out; it is tried again only after it leaves the list. */
  #givenUp: string | undefined;
  #stopped = false;

  constructor(options: HidHotplugOptions<T>) {
    super();
    this.#options = {
      pollMs: HID_POLL_MS,
      openRetryMs: HID_OPEN_RETRY_MS,
      openRetryForMs: HID_OPEN_RETRY_FOR_MS,
      ...options,
    };
    this.#logger = options.logger;
  }

  /** The open connection, or undefined while the device is away or cannot be opened. */
  get connection(): T | undefined {
    return this.#connection;
  }

  /** Starts watching; the first look at the device list happens at once. */
  start(): void {
    this.#logger.info({ pollMs: this.#options.pollMs }, 'watching for the HID device');
    this.#check();
  }

  /** Stops watching and closes the connection. */
  stop(): void {
    const connection = this.#connection;

    this.#stopped = true;
    this.#connection = undefined;
    clearTimeout(this.#timer);
    connection?.close();
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    if (!this.#stopped) this.#timer = setTimeout(() => this.#check(), delayMs);
  }

  #check(): void {
    if (this.#stopped) return;

    let device: HID.Device | undefined;

    try {
      device = findHidInterface(this.#options.listDevices(), this.#options.match);
    } catch (error) {
      this.#logger.error({ err: error }, 'listing HID devices failed');
      this.#schedule(this.#options.pollMs);

      return;
    }

    const path = device?.path;

    if (this.#connection) {
      if (!path) this.#lose('HID device left the device list');
      this.#schedule(this.#options.pollMs);

      return;
    }
    if (path !== this.#givenUp) this.#givenUp = undefined;
    if (!path || path === this.#givenUp) {
      this.#pending = undefined;
      this.#schedule(this.#options.pollMs);

      return;
    }
    this.#tryOpen(path);
  }

  #tryOpen(path: string): void {
    if (this.#pending?.path !== path) {
      this.#pending = { path, since: Date.now(), attempts: 0 };
      this.#logger.info({ path }, 'HID device appeared');
    }

    const pending = this.#pending;

    pending.attempts++;
    try {
      this.#connect(this.#options.open(path), path, pending.attempts);
    } catch (error) {
      if (Date.now() - pending.since >= this.#options.openRetryForMs) {
        this.#logger.error(
          { path, attempts: pending.attempts, err: error },
          'cannot open the HID device; check the udev rule and unplug and replug the device',
        );
        this.#givenUp = path;
        this.#pending = undefined;
        this.#schedule(this.#options.pollMs);
      } else {
        this.#logger.debug({ path, attempt: pending.attempts, err: error }, 'HID device open failed, retrying');
        this.#schedule(this.#options.openRetryMs);
      }
    }
  }

  #connect(connection: T, path: string, attempts: number): void {
    this.#pending = undefined;
    this.#connection = connection;
    connection.once('close', (reason) => {
      if (this.#connection !== connection) return;
      this.#connection = undefined;
      this.#logger.warn({ path, reason }, 'HID device disconnected');
      this.emit('disconnected');
      // Look again soon: an error without an unplug reopens the device.
      this.#schedule(this.#options.openRetryMs);
    });
    this.#logger.info({ path, attempts }, 'HID device connected');
    this.emit('connected', connection);
    this.#schedule(this.#options.pollMs);
  }

  #lose(reason: string): void {
    this.#logger.warn({ reason }, 'closing the HID connection');
    this.#connection?.close();
  }
}
