import { join } from 'node:path';
import { loadProfile, type ByteHidProfile } from '../../capture/ptz/hid-profile.js';
import { HidTransport } from '../../capture/ptz/hid-transport.js';
import type { PtzCapabilities, PtzDriver, PtzMove } from '../../capture/ptz/ptz-driver.js';
import type { Direction } from '../../capture/ptz/ptz-values.js';
import type { SimulatedCamera } from '../../capture/ptz/simulated-camera.js';
import { SimulatedHidCamera } from '../../capture/ptz/simulated-hid-camera.js';
import { podiumError } from '../errors.js';
import type { EventController } from '../events/event-controller.js';
import { projectRoot } from '../http/page-routes.js';
import type { Logger } from '../log.js';

/** The profile the simulated camera speaks, so that the HID path is exercised end to end. */
const SIMULATED_PROFILE = join('capture', 'ptz', 'profiles', 'logitech-ptz-pro-2.json');

export type PtzStatus = { available: boolean; profileName: string | null; capabilities: PtzCapabilities | null };

/**
 * Gives the console the PTZ camera of the running event. With the built-in
 * test pattern that is the simulated camera, driven through the Logitech
 * PTZ Pro 2 HID profile and a fake HID device at the node-hid boundary.
 */
export class PtzService {
  readonly #controller: EventController;
  readonly #logger: Logger;
  #driver: PtzDriver | undefined;
  #camera: SimulatedCamera | undefined;
  #profile: ByteHidProfile | undefined;

  constructor(controller: EventController, logger: Logger) {
    this.#controller = controller;
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
