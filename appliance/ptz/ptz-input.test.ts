import type HID from 'node-hid';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeHidInputDevice } from '../../capture/ptz/fake-hid-device.js';
import { loadInputProfile } from '../../capture/ptz/input-profile.js';
import { INPUT_PROFILES_DIR, resolveProfilePath } from '../../capture/ptz/profile-path.js';
import type { PtzCapabilities, PtzDriver, PtzDriverEvents, PtzMove } from '../../capture/ptz/ptz-driver.js';
import type { Direction } from '../../capture/ptz/ptz-values.js';
import type { EventController } from '../events/event-controller.js';
import { createLogger } from '../log.js';
import { Store } from '../store/store.js';
import type { PtzCameraLink } from './ptz-camera-link.js';
import { PtzInput } from './ptz-input.js';
import { PtzService } from './ptz-service.js';

const logger = createLogger('silent');
const idleController = { room: undefined, liveEvent: undefined } as unknown as EventController;
const PROFILE = loadInputProfile(resolveProfilePath('logitech-f310-directinput', INPUT_PROFILES_DIR));
const GAMEPAD: HID.Device = {
  vendorId: 0x046d,
  productId: 0xc216,
  path: '/dev/hidraw6',
  release: 0,
  interface: 0,
  usagePage: 0x01,
  usage: 0x04,
};

/**
 * F310 reports in the profile's layout: sticks at rest (0x80), D-pad released
 * (0x08), no buttons. Bytes 6 and 7 are a guess of what the pad sends there.
 */
function gamepadReport(changes: Record<number, number> = {}): number[] {
  const report = [0x80, 0x80, 0x80, 0x80, 0x08, 0x00, 0x04, 0xff];

  for (const [index, value] of Object.entries(changes)) report[Number(index)] = value;

  return report;
}

/** A camera that records each driver call with the fake clock's time. */
class RecordingDriver extends EventEmitter<PtzDriverEvents> implements PtzDriver {
  readonly profileName = 'recording camera';
  readonly capabilities: PtzCapabilities = {
    commands: ['pan', 'tilt', 'zoom', 'home', 'presetRecall', 'presetSave'],
    presets: { min: 1, max: 16 },
  };
  readonly calls: { at: number; call: string }[] = [];
  closed = false;

  #record(call: string): Promise<void> {
    this.calls.push({ at: Date.now(), call });

    return Promise.resolve();
  }

  move(move: PtzMove): Promise<void> {
    return this.#record(`move ${move.pan} ${move.tilt}`);
  }

  stop(): Promise<void> {
    return this.#record('stop');
  }

  zoom(direction: Direction): Promise<void> {
    return this.#record(`zoom ${direction}`);
  }

  home(): Promise<void> {
    return this.#record('home');
  }

  recallPreset(preset: number): Promise<void> {
    return this.#record(`recall ${preset}`);
  }

  savePreset(preset: number): Promise<void> {
    return this.#record(`save ${preset}`);
  }

  close(): void {
    this.closed = true;
  }
}

describe('PtzInput with a gamepad', () => {
  let dataDir: string;
  let store: Store;
  let driver: RecordingDriver;
  let service: PtzService;
  let devices: HID.Device[];
  let gamepads: FakeHidInputDevice[];
  let input: PtzInput;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    dataDir = mkdtempSync(join(tmpdir(), 'podium-ptz-input-'));
    store = new Store(join(dataDir, 'podium.sqlite'));
    driver = new RecordingDriver();

    const link: PtzCameraLink = {
      driver,
      description: driver.profileName,
      start: () => undefined,
      close: () => undefined,
    };

    service = new PtzService(idleController, store, { camera: 'hid', link }, logger);
    devices = [GAMEPAD];
    gamepads = [];
    input = new PtzInput({
      profile: PROFILE,
      service,
      listDevices: () => devices,
      openPath: () => {
        const gamepad = new FakeHidInputDevice();

        gamepads.push(gamepad);

        return gamepad;
      },
      logger,
      pollMs: 1000,
    });
    input.start();
    await vi.advanceTimersByTimeAsync(0);
  });

  afterEach(() => {
    input.close();
    service.close();
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
    vi.useRealTimers();
  });

  function calls(): string[] {
    return driver.calls.map((entry) => entry.call);
  }

  it('pans left while deflected, stops at once', async () => {
    const pad = gamepads[0]!;

    pad.emitReport(gamepadReport());
    pad.emitReport(gamepadReport({ 0: 0x00 }));
    // More reports while held change nothing.
    await vi.advanceTimersByTimeAsync(300);
    pad.emitReport(gamepadReport({ 0: 0x05 }));
    await vi.advanceTimersByTimeAsync(300);
    const releasedAt = Date.now();

    pad.emitReport(gamepadReport({ 0: 0x7a }));

    expect(calls()).toEqual(['move -1 0', 'stop']);
    expect(driver.calls[1]!.at).toBe(releasedAt);
  });

  it('ignores deflection inside dead zone', () => {
    gamepads[0]!.emitReport(gamepadReport({ 0: 0x80 + 40, 1: 0x80 - 40 }));

    expect(calls()).toEqual([]);
  });

  it('tilts up with stick pushed forward', () => {
    gamepads[0]!.emitReport(gamepadReport({ 1: 0x00 }));
    gamepads[0]!.emitReport(gamepadReport({ 1: 0xff }));

    expect(calls()).toEqual(['move 0 1', 'move 0 -1']);
  });

  it('moves with D-pad and zooms with RB', () => {
    const pad = gamepads[0]!;

    pad.emitReport(gamepadReport({ 4: 0x02 }));
    pad.emitReport(gamepadReport({ 4: 0x08, 5: 0x02 }));
    pad.emitReport(gamepadReport());

    expect(calls()).toEqual(['move 1 0', 'stop', 'zoom 1', 'zoom 0']);
  });

  it('recalls preset on button press', async () => {
    await service.savePreset(2);
    // Button B is preset 3, console slot 2, camera preset 1 + 2.
    gamepads[0]!.emitReport(gamepadReport({ 4: 0x48 }));
    gamepads[0]!.emitReport(gamepadReport({ 4: 0x48 }));
    gamepads[0]!.emitReport(gamepadReport());
    await vi.advanceTimersByTimeAsync(0);

    expect(calls()).toEqual(['save 3', 'recall 3']);
  });

  it('goes home with Start', () => {
    gamepads[0]!.emitReport(gamepadReport({ 5: 0x20 }));

    expect(calls()).toEqual(['home']);
  });

  it('stops the move when unplugged', async () => {
    gamepads[0]!.emitReport(gamepadReport({ 0: 0xff }));
    devices = [];
    gamepads[0]!.emitDeviceError();

    expect(calls()).toEqual(['move 1 0', 'stop']);

    // Plugged in again: a new device is opened and steers the camera.
    devices = [GAMEPAD];
    await vi.advanceTimersByTimeAsync(1000);
    gamepads[1]!.emitReport(gamepadReport({ 0: 0x00 }));

    expect(gamepads).toHaveLength(2);
    expect(calls()).toEqual(['move 1 0', 'stop', 'move -1 0']);
  });
});
