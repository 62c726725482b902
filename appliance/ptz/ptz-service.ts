import { join } from 'node:path';
import { loadProfile, type ByteHidProfile } from '../../capture/ptz/hid-profile.js';
import { HidTransport } from '../../capture/ptz/hid-transport.js';
import type { PtzCapabilities, PtzDriver, PtzMove } from '../../capture/ptz/ptz-driver.js';
import type { Direction } from '../../capture/ptz/ptz-values.js';
import type { CropWindow, SimulatedCamera } from '../../capture/ptz/simulated-camera.js';
import { SimulatedHidCamera } from '../../capture/ptz/simulated-hid-camera.js';
import { podiumError } from '../errors.js';
import type { EventController } from '../events/event-controller.js';
import { projectRoot } from '../http/page-routes.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';

/** The profile the simulated camera speaks, so that the HID path is exercised end to end. */
const SIMULATED_PROFILE = join('capture', 'ptz', 'profiles', 'logitech-ptz-pro-2.json');

export type PtzStatus = { available: boolean; profileName: string | null; capabilities: PtzCapabilities | null };

/** A named camera position on the console. */
export type PtzPreset = { slot: number; name: string; saved: boolean };

type StoredPreset = { name: string; window?: CropWindow };

const PRESETS_KEY = 'ptzPresets';
const DEFAULT_PRESET_NAMES = ['Rednerpult', 'Publikum', 'Totale', 'Podium', 'Leinwand', 'Position 6'];

/**
 * Gives the console the PTZ camera of the running event. With the built-in
 * test pattern that is the simulated camera, driven through the Logitech
 * PTZ Pro 2 HID profile and a fake HID device at the node-hid boundary.
 */
export class PtzService {
  readonly #controller: EventController;
  readonly #store: Store;
  readonly #logger: Logger;
  #driver: PtzDriver | undefined;
  #camera: SimulatedCamera | undefined;
  #profile: ByteHidProfile | undefined;

  constructor(controller: EventController, store: Store, logger: Logger) {
    this.#controller = controller;
    this.#store = store;
    this.#logger = logger.child({ module: 'ptz' });
  }

  status(): PtzStatus {
    const driver = this.#currentDriver();

    return {
      available: driver !== undefined,
      profileName: driver?.profileName ?? null,
      capabilities: driver?.capabilities ?? null,
    };
  }

  async move(move: PtzMove): Promise<void> {
    await this.#requireDriver().move(move);
  }

  async stop(): Promise<void> {
    await this.#currentDriver()?.stop();
  }

  async zoom(direction: Direction): Promise<void> {
    await this.#requireDriver().zoom(direction);
  }

  async home(): Promise<void> {
    await this.#requireDriver().home();
  }

  /** Returns the six named positions; a saved one can be recalled. They persist in the store. */
  presets(): PtzPreset[] {
    return this.#storedPresets().map((preset, slot) => ({ slot, name: preset.name, saved: preset.window !== undefined }));
  }

  /**
   * Saves the camera's current position in a slot. The simulated camera's
   * positions are kept by Podium; a real camera keeps its own (VISCA memory).
   */
  async savePreset(slot: number): Promise<PtzPreset> {
    const driver = this.#requireDriver();
    const presets = this.#storedPresets();
    const preset = this.#requireSlot(presets, slot);

    if (this.#camera) {
      preset.window = this.#camera.window;
    } else {
      await driver.savePreset(slot);
      preset.window = { x: 0, y: 0, width: 0, height: 0 };
    }
    this.#store.setSetting(PRESETS_KEY, JSON.stringify(presets));
    this.#logger.info({ slot, name: preset.name }, 'PTZ preset saved');

    return { slot, name: preset.name, saved: true };
  }

  async recallPreset(slot: number): Promise<void> {
    const driver = this.#requireDriver();
    const preset = this.#requireSlot(this.#storedPresets(), slot);

    if (!preset.window) throw podiumError('PODIUM_ERR_PTZ_PRESET_EMPTY', preset.name);
    if (this.#camera) await this.#camera.moveTo(preset.window);
    else await driver.recallPreset(slot);
    this.#logger.info({ slot, name: preset.name }, 'PTZ preset recalled');
  }

  #storedPresets(): StoredPreset[] {
    const stored = this.#store.getSetting(PRESETS_KEY);
    const presets = stored ? (JSON.parse(stored) as StoredPreset[]) : [];

    return DEFAULT_PRESET_NAMES.map((name, slot) => presets[slot] ?? { name });
  }

  #requireSlot(presets: StoredPreset[], slot: number): StoredPreset {
    const preset = presets[slot];

    if (!preset) throw podiumError('PODIUM_ERR_INVALID_REQUEST', `preset slot ${slot} does not exist; use 0 to ${presets.length - 1}`);

    return preset;
  }

  #requireDriver(): PtzDriver {
    const driver = this.#currentDriver();

    if (!driver) throw podiumError('PODIUM_ERR_PTZ_UNAVAILABLE');

    return driver;
  }

  /** Returns the driver of the running event's camera, opening it again after the camera changed or failed. */
  #currentDriver(): PtzDriver | undefined {
    // The camera belongs to the running event: none once its room has closed.
    const camera = this.#controller.room ? this.#controller.liveEvent?.venue?.simulatedCamera : undefined;

    if (camera !== this.#camera || this.#driver?.closed) {
      this.#driver?.close();
      this.#driver = undefined;
      this.#camera = camera;
      if (camera) this.#driver = this.#openSimulated(camera);
    }

    return this.#driver;
  }

  #openSimulated(camera: SimulatedCamera): PtzDriver {
    this.#profile ??= loadProfile(join(projectRoot(), SIMULATED_PROFILE)) as ByteHidProfile;

    const profile = this.#profile;
    const driver = new HidTransport({
      profile,
      openDevice: () => new SimulatedHidCamera(profile, camera),
      logger: this.#logger,
    });

    driver.on('error', (error) => this.#logger.warn({ err: error }, 'simulated PTZ camera error'));
    this.#logger.info({ profile: profile.name }, 'simulated PTZ camera opened');

    return driver;
  }
}
