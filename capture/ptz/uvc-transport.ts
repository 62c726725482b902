import { EventEmitter } from 'node:events';
import type { Logger } from '../../appliance/log.js';
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
import { checkDirection, middleOf, type Direction, type IntegerRange } from './ptz-values.js';
import {
  parseV4l2ControlValues,
  parseV4l2Controls,
  speedRange,
  uvcCapabilities,
  uvcControlArgs,
  UVC_ABSOLUTE_CONTROLS,
  type UvcPosition,
  type UvcRequest,
  type V4l2Control,
} from './uvc-controls.js';

export { uvcControlArgs, parseV4l2Controls, type UvcRequest } from './uvc-controls.js';

/**
 * Runs v4l2-ctl with these arguments and resolves with its exit code and
 * standard output. Podium's wiring passes a function that goes through its
 * process supervisor, because only the supervisor spawns processes.
 */
export type RunCommand = (args: string[]) => Promise<{ code: number; stdout: string }>;

/** Preset numbers when the options give none. The presets live in memory only. */
export const DEFAULT_UVC_PRESETS: IntegerRange = { min: 1, max: 16 };

export type UvcTransportOptions = {
  /** The V4L2 device, such as /dev/video0. */
  device: string;
  runCommand: RunCommand;
  presets?: IntegerRange;
  logger: Logger;
};

/** The queue group of a request: a newer drive replaces a queued drive, and a newer zoom a queued zoom. */
type QueueKind = 'drive' | 'zoom' | 'other';

type QueuedRequest = {
  kind: QueueKind;
  request: UvcRequest;
  /** Called with v4l2-ctl's standard output, or with '' when a newer request replaced this one. */
  resolve: (stdout: string) => void;
  reject: (error: Error) => void;
};

/**
 * A UVC camera's pan, tilt and zoom through V4L2 controls, one v4l2-ctl run
 * per command. Moves and zooms set the speed controls (pan_speed, tilt_speed,
 * zoom_continuous) and run until a speed of 0. Home sets pan_absolute and
 * tilt_absolute to their default values. Presets store the absolute
 * positions read with --get-ctrl and set them again on recall.
 *
 * Runs happen one at a time, in order, so a stop never overtakes the drive
 * before it. While one runs, a newer drive replaces a queued drive (and a zoom
 * a queued zoom), whose promise resolves without a run. stop(), zoom(0), home
 * and preset recall drop queued drives and zooms and go first in the queue, so
 * a stop waits at most for the one run in progress, never for the camera.
 *
 * A run that fails or exits with a code other than 0 rejects its command,
 * emits "error" (only while a listener is attached) and closes the driver as
 * "device-gone".
 *
 * NOTE: the signs are a guess from the UVC 1.1 camera-terminal controls
 * (positive pan speed turns clockwise, seen from above, positive tilt speed
 * up) and have not been checked on a camera.
 */
export class UvcTransport extends EventEmitter<PtzDriverEvents> implements PtzDriver {
  readonly device: string;
  readonly capabilities: PtzCapabilities;
  readonly controls: ReadonlyMap<string, V4l2Control>;
  readonly #runCommand: RunCommand;
  readonly #logger: Logger;
  readonly #presets = new Map<number, UvcPosition>();
  #queue: QueuedRequest[] = [];
  #running = false;
  #closed = false;
  #moving = false;
  #zooming = false;

  private constructor(options: UvcTransportOptions, controls: Map<string, V4l2Control>) {
    super();
    this.device = options.device;
    this.controls = controls;
    this.capabilities = uvcCapabilities(controls, options.presets ?? DEFAULT_UVC_PRESETS);
    this.#runCommand = options.runCommand;
    this.#logger = options.logger.child({ ptzCamera: this.profileName });
    this.#logger.info({ commands: this.capabilities.commands }, 'PTZ camera opened');
  }

  /** Lists the device's controls and opens the driver with the capabilities they give. */
  static async open(options: UvcTransportOptions): Promise<UvcTransport> {
    let result: { code: number; stdout: string };

    try {
      result = await options.runCommand(uvcControlArgs(options.device, { kind: 'list-controls' }));
    } catch (error) {
      throw new Error(`cannot list the V4L2 controls of ${options.device}: ${errorMessage(error)}`, { cause: error });
    }
    if (result.code !== 0) {
      throw new Error(`cannot list the V4L2 controls of ${options.device}: v4l2-ctl exited with code ${result.code}`);
    }

    return new UvcTransport(options, parseV4l2Controls(result.stdout));
  }

  get profileName(): string {
    return `UVC camera ${this.device}`;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async move(move: PtzMove): Promise<void> {
    this.#assertOpen();

    const resolved = resolveMove(move, this.capabilities, this.profileName);

    if (resolved.pan === 0 && resolved.tilt === 0) return this.stop();

    this.#moving = true;

    return this.#enqueue('drive', {
      kind: 'drive',
      panSpeed: this.controls.has('pan_speed') ? resolved.pan * (resolved.panSpeed ?? 0) : undefined,
      tiltSpeed: this.controls.has('tilt_speed') ? resolved.tilt * (resolved.tiltSpeed ?? 0) : undefined,
    });
  }

  /** Sets the speed controls the camera has to 0. Resolves without a run for a camera with neither. */
  async stop(): Promise<void> {
    this.#assertOpen();
    this.#moving = false;

    const request = this.#stopRequest();

    if (!request) return;

    return this.#enqueueFirst('drive', request);
  }

  async zoom(direction: Direction): Promise<void> {
    this.#assertOpen();
    checkDirection('zoom', direction);
    this.#assertSupported('zoom');

    const range = speedRange(this.controls.get('zoom_continuous'));
    // NOTE: the middle of the zoom speeds is a guess, not tuned on a camera.
    const speed = direction * (range ? middleOf(range) : 1);

    this.#zooming = direction !== 0;
    if (direction === 0) return this.#enqueueFirst('zoom', { kind: 'zoom', speed: 0 });

    return this.#enqueue('zoom', { kind: 'zoom', speed });
  }

  /** Sets pan_absolute and tilt_absolute to their defaults, after dropping queued drives and zooms. */
  async home(): Promise<void> {
    this.#assertOpen();
    this.#assertSupported('home');

    const position: UvcPosition = {};

    for (const name of ['pan_absolute', 'tilt_absolute'] as const) {
      const control = this.controls.get(name);

      if (control) position[name] = control.default;
    }

    return this.#enqueueFirst('other', { kind: 'set-position', position }, true);
  }

  /**
   * Sets the absolute controls to the position saved as this preset. The
   * positions live in memory; PtzService stores them (presetPosition) and
   * gives them back after a restart (restorePresetPosition).
   */
  async recallPreset(preset: number): Promise<void> {
    this.#assertOpen();
    this.#assertSupported('presetRecall');
    checkPreset(preset, this.capabilities, this.profileName);

    const position = this.#presets.get(preset);

    if (!position) {
      throw new Error(`preset ${preset} of ${this.profileName} has not been saved since Podium started`);
    }

    return this.#enqueueFirst('other', { kind: 'set-position', position }, true);
  }

  presetPosition(preset: number): Record<string, number> | undefined {
    const position = this.#presets.get(preset);

    return position ? { ...position } : undefined;
  }

  /** Keeps stored values as this preset; only the absolute controls the camera has are taken. */
  restorePresetPosition(preset: number, position: Record<string, number>): void {
    const kept: UvcPosition = {};

    for (const name of UVC_ABSOLUTE_CONTROLS) {
      const value = position[name];

      if (this.controls.has(name) && typeof value === 'number') kept[name] = value;
    }
    this.#presets.set(preset, kept);
  }

  /** Reads the absolute controls with --get-ctrl and keeps them as this preset. */
  async savePreset(preset: number): Promise<void> {
    this.#assertOpen();
    this.#assertSupported('presetSave');
    checkPreset(preset, this.capabilities, this.profileName);

    const names = UVC_ABSOLUTE_CONTROLS.filter((name) => this.controls.has(name));
    const stdout = await this.#runQueued({ kind: 'get-position', controls: names });
    const values = parseV4l2ControlValues(stdout);
    const position: UvcPosition = {};

    for (const name of names) {
      const value = values.get(name);

      if (value === undefined) {
        throw new Error(`v4l2-ctl --get-ctrl output of ${this.device} has no value for ${name}: ${stdout.trim()}`);
      }
      position[name] = value;
    }
    this.#presets.set(preset, position);
  }

  /** Stops a move or zoom still running, then stops taking commands. */
  close(): void {
    this.#close('closed');
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`PTZ camera "${this.profileName}" is closed`);
  }

  #assertSupported(command: PtzCommand): void {
    if (!this.capabilities.commands.includes(command)) throw unsupportedCommandError(command, this.profileName);
  }

  #stopRequest(): UvcRequest | undefined {
    const panSpeed = this.controls.has('pan_speed') ? 0 : undefined;
    const tiltSpeed = this.controls.has('tilt_speed') ? 0 : undefined;

    if (panSpeed === undefined && tiltSpeed === undefined) return undefined;

    return { kind: 'drive', panSpeed, tiltSpeed };
  }

  /** Queues a drive or zoom at the end, replacing a queued one of the same kind. */
  #enqueue(kind: QueueKind, request: UvcRequest): Promise<void> {
    return new Promise((resolve, reject) => {
      const queued = this.#queue.findIndex((entry) => entry.kind === kind);

      const entry = { kind, request, resolve: () => resolve(), reject };

      if (queued >= 0) {
        this.#queue[queued]?.resolve('');
        this.#queue[queued] = entry;
      } else {
        this.#queue.push(entry);
      }
      this.#runNext();
    });
  }

  /**
   * Queues a request ahead of every other, dropping queued requests of its
   * kind, or of the drive and zoom kinds when dropMoves is set.
   */
  #enqueueFirst(kind: QueueKind, request: UvcRequest, dropMoves = false): Promise<void> {
    return new Promise((resolve, reject) => {
      const dropped = (entry: QueuedRequest): boolean =>
        entry.kind === kind || (dropMoves && (entry.kind === 'drive' || entry.kind === 'zoom'));

      for (const entry of this.#queue.filter(dropped)) entry.resolve('');
      if (dropMoves) {
        this.#moving = false;
        this.#zooming = false;
      }
      this.#queue = [{ kind, request, resolve: () => resolve(), reject }, ...this.#queue.filter((entry) => !dropped(entry))];
      this.#runNext();
    });
  }

  /** Queues a request at the end and resolves with its standard output. */
  #runQueued(request: UvcRequest): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ kind: 'other', request, resolve, reject });
      this.#runNext();
    });
  }

  #runNext(): void {
    if (this.#running) return;

    const next = this.#queue.shift();

    if (!next) return;

    this.#running = true;
    void this.#run(next.request).then(
      (stdout) => {
        this.#running = false;
        next.resolve(stdout);
        this.#runNext();
      },
      (error: Error) => {
        this.#running = false;
        next.reject(error);
        this.#runNext();
      },
    );
  }

  /** Runs one request. On a failure, closes the driver as device gone and rejects. */
  async #run(request: UvcRequest): Promise<string> {
    const args = uvcControlArgs(this.device, request);
    let result: { code: number; stdout: string };

    try {
      result = await this.#runCommand(args);
    } catch (error) {
      throw this.#fail(args, error);
    }
    if (result.code !== 0) throw this.#fail(args, new Error(`v4l2-ctl exited with code ${result.code}`));

    return result.stdout;
  }

  #fail(args: string[], cause: unknown): Error {
    const error = new Error(
      `${this.profileName} failed and is treated as gone: v4l2-ctl ${args.join(' ')}: ${errorMessage(cause)}`,
      { cause },
    );

    if (this.#closed) return error;

    this.#logger.error({ err: cause, args }, 'PTZ camera control failed');
    if (this.listenerCount('error') > 0) this.emit('error', error);
    this.#close('device-gone');

    return error;
  }

  #close(reason: PtzCloseReason): void {
    if (this.#closed) return;

    const stops: UvcRequest[] = [];
    const stopDrive = this.#stopRequest();

    if (reason === 'closed' && this.#moving && stopDrive) stops.push(stopDrive);
    if (reason === 'closed' && this.#zooming) stops.push({ kind: 'zoom', speed: 0 });
    for (const entry of this.#queue) entry.reject(new Error(`PTZ camera "${this.profileName}" is closed`));
    this.#queue = [];
    this.#closed = true;
    this.#moving = false;
    this.#zooming = false;
    // The stops run after the run in progress ends, and a failure of theirs is only logged.
    for (const request of stops) {
      this.#queue.push({
        kind: 'other',
        request,
        resolve: () => undefined,
        reject: (error) => this.#logger.warn({ err: error }, 'PTZ camera stop before close failed'),
      });
    }
    this.#runNext();
    this.#logger.info({ reason }, 'PTZ camera closed');
    this.emit('close', reason);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
