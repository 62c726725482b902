/**
 * Who holds a capture device. The venue capture, the setup screen's previews
 * and meters, and the discovery's listing commands each claim a device
 * before they open it, so that no second process opens a device that
 * another one holds. The key is the device node (/dev/video0) for cameras
 * and the ALSA card id and device (CARD=Mic,DEV=0) for microphones.
 */

import type { Logger } from '../../appliance/log.js';

/** What holds a device: the venue capture, a setup screen preview or meter, or a listing command. */
export type ClaimHolder = 'capture' | 'preview' | 'discovery';

/** One holder's claim on a device; release() frees the device for the next holder. */
export type DeviceClaim = {
  readonly device: string;
  readonly holder: ClaimHolder;
  /** Frees the device. Call it only after the process that opened the device has exited. */
  release(): void;
};

type Entry = {
  holder: ClaimHolder;
  released: Promise<void>;
  resolve: () => void;
  /** Asks the holder to end its process and release the device; only previews have one. */
  yieldDevice: (() => void) | undefined;
  yieldRequested: boolean;
};

export class DeviceClaims {
  readonly #entries = new Map<string, Entry>();
  readonly #logger: Logger | undefined;

  constructor(logger?: Logger) {
    this.#logger = logger?.child({ module: 'device-claims' });
  }

  /** Returns the holder of a device, or undefined while it is free. */
  holderOf(device: string): ClaimHolder | undefined {
    return this.#entries.get(device)?.holder;
  }

  /**
   * Claims a free device at once, or returns undefined while another holder
   * has it. Previews and listing commands use it, because they skip a busy
   * device instead of waiting. yieldDevice, for previews, is called when the
   * capture requests the device.
   */
  tryClaim(device: string, holder: ClaimHolder, yieldDevice?: () => void): DeviceClaim | undefined {
    if (this.#entries.has(device)) return undefined;

    return this.#add(device, holder, yieldDevice);
  }

  /**
   * Claims a device, waiting until every earlier holder has released it. A
   * preview that holds the device is asked to stop first. The capture uses
   * it, so that its start waits until the preview's process has exited.
   */
  async claim(device: string, holder: ClaimHolder): Promise<DeviceClaim> {
    for (let entry = this.#entries.get(device); entry; entry = this.#entries.get(device)) {
      if (entry.yieldDevice && !entry.yieldRequested) {
        entry.yieldRequested = true;
        this.#logger?.info({ device, holder: entry.holder, requestedBy: holder }, 'asking the device holder to yield');
        entry.yieldDevice();
      }
      await entry.released;
    }

    return this.#add(device, holder, undefined);
  }

  #add(device: string, holder: ClaimHolder, yieldDevice: (() => void) | undefined): DeviceClaim {
    let resolve!: () => void;
    const released = new Promise<void>((done) => (resolve = done));
    const entry: Entry = { holder, released, resolve, yieldDevice, yieldRequested: false };

    this.#entries.set(device, entry);
    this.#logger?.debug({ device, holder }, 'device claimed');

    return {
      device,
      holder,
      release: () => {
        if (this.#entries.get(device) !== entry) return;
        this.#entries.delete(device);
        this.#logger?.debug({ device, holder }, 'device released');
        resolve();
      },
    };
  }
}
