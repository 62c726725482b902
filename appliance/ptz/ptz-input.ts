import type HID from 'node-hid';
import type { Logger } from '../log.js';
import { HidHotplug, type HidHotplugOptions } from '../../capture/ptz/hid-hotplug.js';
import { HidInputReader, type HidInputDevice } from '../../capture/ptz/hid-input.js';
import { readInputReport, type InputAction, type InputProfile, type InputState } from '../../capture/ptz/input-profile.js';
import type { PtzService } from './ptz-service.js';

/** Preset buttons and the console slot each recalls. */
const PRESET_SLOTS: [InputAction, number][] = [
  ['preset1', 0],
  ['preset2', 1],
  ['preset3', 2],
  ['preset4', 3],
  ['preset5', 4],
  ['preset6', 5],
];

const AT_REST: InputState = { pan: 0, tilt: 0, zoom: 0, pressed: new Set() };

export type PtzInputOptions = Omit<HidHotplugOptions<HidInputReader>, 'match' | 'open'> & {
  profile: InputProfile;
  service: PtzService;
  /** Opens the hidraw path: node-hid's HID class outside tests. */
  openPath: (path: string) => HidInputDevice;
  listDevices: () => HID.Device[];
};

/**
 * Steers the PTZ camera with a USB joystick or keypad. Each input report is
 * read with the input profile, and only changes become PtzService calls: a
 * deflection or held button starts a move or zoom, the release stops it at
 * once, and home and preset buttons act when pressed. The device is found
 * and reopened like a HID camera (HidHotplug); when it goes away during a
 * move, the move is stopped.
 */
export class PtzInput {
  readonly #service: PtzService;
  readonly #profile: InputProfile;
  readonly #logger: Logger;
  readonly #hotplug: HidHotplug<HidInputReader>;
  #state: InputState = AT_REST;

  constructor(options: PtzInputOptions) {
    this.#service = options.service;
    this.#profile = options.profile;
    this.#logger = options.logger;
    this.#hotplug = new HidHotplug({
      ...options,
      match: options.profile,
      open: (path) => new HidInputReader(options.openPath(path), options.logger),
    });
    this.#hotplug.on('connected', (reader) => {
      reader.on('report', (report) => this.#apply(readInputReport(this.#profile, report)));
    });
    this.#hotplug.on('disconnected', () => this.#apply(AT_REST));
  }

  start(): void {
    this.#logger.info({ profile: this.#profile.name }, 'PTZ input device enabled');
    this.#hotplug.start();
  }

  close(): void {
    this.#hotplug.stop();
  }

  /** Sends the commands that take the camera from the last state to this one. */
  #apply(next: InputState): void {
    const previous = this.#state;

    this.#state = next;
    if (next.pan !== previous.pan || next.tilt !== previous.tilt) {
      if (next.pan === 0 && next.tilt === 0) this.#send('stop', () => this.#service.stop());
      else this.#send('move', () => this.#service.move({ pan: next.pan, tilt: next.tilt }));
    }
    if (next.zoom !== previous.zoom) this.#send('zoom', () => this.#service.zoom(next.zoom));
    if (pressedNow('home', next, previous)) this.#send('home', () => this.#service.home());
    for (const [button, slot] of PRESET_SLOTS) {
      if (pressedNow(button, next, previous)) this.#send(button, () => this.#service.recallPreset(slot));
    }
  }

  /** Starts a command at once (HID writes happen before the call returns) and logs a failure. */
  #send(command: string, call: () => Promise<void>): void {
    this.#logger.debug({ command }, 'PTZ input command');
    call().catch((error: unknown) => this.#logger.warn({ err: error, command }, 'PTZ input command failed'));
  }
}

function pressedNow(button: InputAction, next: InputState, previous: InputState): boolean {
  return next.pressed.has(button) && !previous.pressed.has(button);
}
