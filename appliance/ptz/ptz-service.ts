import { loadProfile, type ByteHidProfile } from '../../capture/ptz/hid-profile.js';
import { HidTransport } from '../../capture/ptz/hid-transport.js';
import { CAMERA_PROFILES_DIR, resolveProfilePath } from '../../capture/ptz/profile-path.js';
import { PTZ_COMMANDS, type PtzCapabilities, type PtzCommand, type PtzDriver, type PtzMove } from '../../capture/ptz/ptz-driver.js';
import type { Direction } from '../../capture/ptz/ptz-values.js';
import type { CropWindow, SimulatedCamera } from '../../capture/ptz/simulated-camera.js';
import { SimulatedHidCamera } from '../../capture/ptz/simulated-hid-camera.js';
import type { PtzCameraKind } from '../config/schema.js';
import { PodiumError, podiumError } from '../errors.js';
import type { EventController } from '../events/event-controller.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { MOTION_LEASE_MS, MotionLease } from './motion-lease.js';
import type { PtzCameraLink } from './ptz-camera-link.js';

/** The profile the simulated camera speaks, so that the HID path is exercised end to end. */
const SIMULATED_PROFILE = 'logitech-ptz-pro-2';

export type PtzStatus = {
  /** The configured kind of camera. */
  camera: PtzCameraKind;
  /** Whether the camera is connected now and takes commands. */
  connected: boolean;
  /** The same as connected; kept for pages that read it. */
  available: boolean;
  profileName: string | null;
  capabilities: PtzCapabilities | null;
};

/** A named camera position on the console. */
export type PtzPreset = { slot: number; name: string; saved: boolean };

/**
 * A slot as stored: the simulated camera's crop window, or for a real camera
 * saved (its own preset memory keeps the position) and, for a camera whose
 * positions Podium keeps (UVC), the control values.
 */
type StoredPreset = { name: string; window?: CropWindow; saved?: boolean; position?: Record<string, number> };

/**
 * The store key of one camera's presets: "ptzPresets:" and the camera's
 * identity, so kinds and cameras never share positions. The key of older
 * versions, "ptzPresets" alone, served every camera and is not read.
 */
const PRESETS_KEY_PREFIX = 'ptzPresets:';
const DEFAULT_PRESET_NAMES = ['Rednerpult', 'Publikum', 'Totale', 'Podium', 'Leinwand', 'Position 6'];

/** Commands Podium adds to the simulated camera, because it keeps home and the presets itself. */
const SIMULATED_EXTRA_COMMANDS = ['home', 'presetRecall', 'presetSave'] as const;

export type PtzServiceOptions = {
  /** The configured camera kind (ptz.camera). */
  camera: PtzCameraKind;
  /** The link to a real camera, for the kinds hid, visca-udp, visca-serial and uvc. */
  link?: PtzCameraLink;
};

/**
 * Gives the console the configured PTZ camera. A real camera is reached
 * through its link, whether or not an event is live. The simulated camera
 * exists only while an event with the built-in test pattern is live. It is
 * driven through the Logitech PTZ Pro 2 HID profile and a fake HID device at
 * the node-hid boundary.
 */
export class PtzService {
  readonly #controller: EventController;
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #kind: PtzCameraKind;
  readonly #link: PtzCameraLink | undefined;
  #simulatedDriver: PtzDriver | undefined;
  #camera: SimulatedCamera | undefined;
  #profile: ByteHidProfile | undefined;
  /** Dead-man timers of a drive and a zoom started from the console (heldMove, heldZoom). */
  readonly #moveLease = new MotionLease(() => this.#expire('move', () => this.#currentDriver()?.stop()));
  readonly #zoomLease = new MotionLease(() => this.#expire('zoom', () => this.#currentDriver()?.zoom(0)));

  constructor(controller: EventController, store: Store, options: PtzServiceOptions, logger: Logger) {
    this.#controller = controller;
    this.#store = store;
    this.#kind = options.camera;
    this.#link = options.link;
    this.#logger = logger.child({ module: 'ptz' });
    this.#link?.start();
  }

  status(): PtzStatus {
    const driver = this.#currentDriver();

    return {
      camera: this.#kind,
      connected: driver !== undefined,
      available: driver !== undefined,
      profileName: driver?.profileName ?? this.#link?.description ?? null,
      capabilities: driver ? this.#capabilities(driver) : null,
    };
  }

  /**
   * Starts a drive from a local input (the USB joystick), which sends a stop
   * itself on release: no lease, and it ends a console lease still running.
   */
  async move(move: PtzMove): Promise<void> {
    this.#moveLease.clear();
    await this.#run('move', moveCommand(move), (driver) => driver.move(move));
  }

  /**
   * Starts or renews a drive held on the console. Unless heldMove comes again
   * within MOTION_LEASE_MS, the camera is stopped: a closed page or a tablet
   * off the network cannot leave it driving. The same move again does not
   * change the motion (the drivers keep a running drive as it is).
   */
  async heldMove(move: PtzMove): Promise<void> {
    await this.#run('move', moveCommand(move), (driver) => {
      if (move.pan === 0 && move.tilt === 0) this.#moveLease.clear();
      else this.#moveLease.renew();

      return driver.move(move);
    });
  }

  async stop(): Promise<void> {
    this.#moveLease.clear();
    if (this.#currentDriver()) await this.#run('stop', [], (driver) => driver.stop());
  }

  /** Starts or stops a zoom from a local input: no lease, like move(). */
  async zoom(direction: Direction): Promise<void> {
    this.#zoomLease.clear();
    await this.#run('zoom', ['zoom'], (driver) => driver.zoom(direction));
  }

  /** Starts, renews or stops (direction 0) a zoom held on the console, with a lease like heldMove(). */
  async heldZoom(direction: Direction): Promise<void> {
    await this.#run('zoom', ['zoom'], (driver) => {
      if (direction === 0) this.#zoomLease.clear();
      else this.#zoomLease.renew();

      return driver.zoom(direction);
    });
  }

  /** Drives the camera to its home position; the simulated camera's is the middle of the scene. */
  async home(): Promise<void> {
    await this.#run('home', ['home'], async (driver) => {
      this.#clearLeases();
      if (this.#camera) {
        await driver.stop();
        await driver.zoom(0);
        await this.#camera.home();
      } else {
        await driver.home();
      }
    });
  }

  /** Returns the six named positions; a saved one can be recalled. They persist in the store. */
  presets(): PtzPreset[] {
    return this.#storedPresets().map((preset, slot) => ({ slot, name: preset.name, saved: isSaved(preset) }));
  }

  /**
   * Saves the camera's current position in a slot. The simulated camera's
   * positions are kept by Podium; a real camera keeps its own (VISCA memory),
   * numbered from the first preset number it takes.
   */
  async savePreset(slot: number): Promise<PtzPreset> {
    const presets = this.#storedPresets();
    const preset = this.#requireSlot(presets, slot);

    await this.#run('preset save', ['presetSave'], async (driver) => {
      if (this.#camera) {
        preset.window = this.#camera.window;
      } else {
        await driver.savePreset(cameraPreset(driver, slot));
        preset.saved = true;
        preset.position = driver.presetPosition?.(cameraPreset(driver, slot));
      }
    });
    this.#store.setSetting(this.#presetsKey(), JSON.stringify(presets));
    this.#logger.info({ slot, name: preset.name }, 'PTZ preset saved');

    return { slot, name: preset.name, saved: true };
  }

  async recallPreset(slot: number): Promise<void> {
    const preset = this.#requireSlot(this.#storedPresets(), slot);

    await this.#run('preset recall', ['presetRecall'], async (driver) => {
      const window = preset.window;

      if (!isSaved(preset)) throw podiumError('PODIUM_ERR_PTZ_PRESET_EMPTY', preset.name);
      this.#clearLeases();
      if (this.#camera && window) {
        await this.#camera.moveTo(window);
      } else {
        // A camera whose positions Podium keeps gets the stored values back first, for example after a restart.
        if (preset.position) driver.restorePresetPosition?.(cameraPreset(driver, slot), preset.position);
        await driver.recallPreset(cameraPreset(driver, slot));
      }
    });
    this.#logger.info({ slot, name: preset.name }, 'PTZ preset recalled');
  }

  /** Closes the camera link and the simulated camera's driver. */
  close(): void {
    this.#clearLeases();
    this.#link?.close();
    this.#simulatedDriver?.close();
    this.#simulatedDriver = undefined;
  }

  /**
   * Runs a command on the connected camera after checking that it has the
   * commands needed. A failure of the camera or its link becomes
   * PODIUM_ERR_PTZ_COMMAND_FAILED naming the camera, and is logged.
   */
  async #run<T>(command: string, needs: PtzCommand[], call: (driver: PtzDriver) => Promise<T>): Promise<T> {
    const driver = this.#requireDriver();
    const commands = this.#capabilities(driver).commands;
    const camera = this.#camera ? 'simulated camera' : driver.profileName;
    const missing = needs.find((command) => !commands.includes(command));

    if (missing) throw podiumError('PODIUM_ERR_PTZ_UNSUPPORTED', camera, missing);
    try {
      return await call(driver);
    } catch (error) {
      if (error instanceof PodiumError) throw error;
      this.#logger.warn({ err: error, command, camera }, 'PTZ command failed');
      throw podiumError('PODIUM_ERR_PTZ_COMMAND_FAILED', camera, command, (error as Error).message);
    }
  }

  #clearLeases(): void {
    this.#moveLease.clear();
    this.#zoomLease.clear();
  }

  /** Stops a console motion whose lease ran out, and logs it. */
  #expire(motion: 'move' | 'zoom', stop: () => Promise<void> | undefined): void {
    this.#logger.warn({ motion, leaseMs: MOTION_LEASE_MS }, 'PTZ console motion not renewed; stopping the camera');
    stop()?.catch((error: unknown) => this.#logger.warn({ err: error, motion }, 'PTZ stop after lease expiry failed'));
  }

  #capabilities(driver: PtzDriver): PtzCapabilities {
    if (!this.#camera) return driver.capabilities;

    const commands = new Set([...driver.capabilities.commands, ...SIMULATED_EXTRA_COMMANDS]);

    return {
      ...driver.capabilities,
      commands: PTZ_COMMANDS.filter((command) => commands.has(command)),
      presets: { min: 0, max: DEFAULT_PRESET_NAMES.length - 1 },
    };
  }

  /** Returns the store key of this camera's presets: the kind and the link's name (profile, device or host). */
  #presetsKey(): string {
    return `${PRESETS_KEY_PREFIX}${this.#kind}${this.#link ? `:${this.#link.description}` : ''}`;
  }

  #storedPresets(): StoredPreset[] {
    const stored = this.#store.getSetting(this.#presetsKey());
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

  /** Returns the driver of the connected camera, or undefined while none is. */
  #currentDriver(): PtzDriver | undefined {
    if (this.#kind === 'simulated') return this.#currentSimulatedDriver();

    return this.#link?.driver;
  }

  /** Returns the simulated camera's driver, opening it again after the camera changed or failed. */
  #currentSimulatedDriver(): PtzDriver | undefined {
    // The camera belongs to the running event: none once its room has closed.
    const camera = this.#controller.room ? this.#controller.liveEvent?.venue?.simulatedCamera : undefined;

    if (camera !== this.#camera || this.#simulatedDriver?.closed) {
      this.#simulatedDriver?.close();
      this.#simulatedDriver = undefined;
      this.#camera = camera;
      if (camera) this.#simulatedDriver = this.#openSimulated(camera);
    }

    return this.#simulatedDriver;
  }

  #openSimulated(camera: SimulatedCamera): PtzDriver {
    this.#profile ??= loadProfile(resolveProfilePath(SIMULATED_PROFILE, CAMERA_PROFILES_DIR)) as ByteHidProfile;

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

/**
 * Returns whether a slot contains a position of this camera: the simulated
 * camera keeps a window, a real camera the saved flag.
 */
function isSaved(preset: StoredPreset): boolean {
  return preset.window !== undefined || preset.saved === true;
}

/** Returns the commands a move needs: pan for a pan direction, tilt for a tilt direction (none for a stop). */
function moveCommand(move: PtzMove): PtzCommand[] {
  return [...(move.pan !== 0 ? (['pan'] as const) : []), ...(move.tilt !== 0 ? (['tilt'] as const) : [])];
}

/** Returns the camera's preset number for a console slot: the slot counted from the camera's first preset. */
function cameraPreset(driver: PtzDriver, slot: number): number {
  return (driver.capabilities.presets?.min ?? 0) + slot;
}
