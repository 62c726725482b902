import type HID from 'node-hid';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeHidOpener } from '../../capture/ptz/fake-hid-device.js';
import { CAMERA_PROFILES_DIR } from '../../capture/ptz/profile-path.js';
import type { PtzCapabilities, PtzDriver, PtzDriverEvents } from '../../capture/ptz/ptz-driver.js';
import type { PtzCameraKind } from '../config/schema.js';
import type { EventController } from '../events/event-controller.js';
import { createLogger } from '../log.js';
import { Store } from '../store/store.js';
import { loadConfiguredProfile } from './create-ptz-devices.js';
import { HidCameraLink, type PtzCameraLink } from './ptz-camera-link.js';
import { MOTION_LEASE_MS } from './motion-lease.js';
import { PtzService } from './ptz-service.js';

const logger = createLogger('silent');
/** No event runs: a real camera must work without one. */
const idleController = { room: undefined, liveEvent: undefined } as unknown as EventController;
const PTZ_INTERFACE: HID.Device = {
  vendorId: 0x046d,
  productId: 0x085f,
  path: '/dev/hidraw2',
  release: 0,
  interface: 4,
  usagePage: 0xff00,
  usage: 0x01,
};

describe('PtzService with a HID camera', () => {
  let dataDir: string;
  let store: Store;
  let devices: HID.Device[];
  let opener: FakeHidOpener;
  let service: PtzService;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    dataDir = mkdtempSync(join(tmpdir(), 'podium-ptz-service-'));
    store = new Store(join(dataDir, 'podium.sqlite'));
    devices = [];
    opener = new FakeHidOpener();

    const profile = loadConfiguredProfile('ptz.hid.profile', 'logitech-ptz-pro-2', CAMERA_PROFILES_DIR);
    const link = new HidCameraLink({
      profile,
      listDevices: () => devices,
      openPath: () => opener.open(profile),
      logger,
    });

    service = new PtzService(idleController, store, { camera: 'hid', link }, logger);
  });

  afterEach(() => {
    service.close();
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
    vi.useRealTimers();
  });

  it('reports camera not connected', () => {
    expect(service.status()).toEqual({
      camera: 'hid',
      connected: false,
      available: false,
      profileName: 'Logitech PTZ Pro 2 (vendor HID interface)',
      capabilities: null,
    });
  });

  it('rejects commands while unplugged', async () => {
    await expect(service.move({ pan: -1, tilt: 0 })).rejects.toMatchObject({ code: 'PODIUM_ERR_PTZ_UNAVAILABLE' });
  });

  it('drives camera plugged in without event', async () => {
    devices = [PTZ_INTERFACE];
    await vi.advanceTimersByTimeAsync(2000);

    const status = service.status();

    expect(status.connected).toBe(true);
    expect(status.capabilities?.commands).toEqual(['pan', 'tilt', 'zoom']);

    await service.zoom(1);
    await service.zoom(0);

    expect(opener.last.reports.map((report) => report.slice(0, 2))).toEqual([[0x0b, 0x04]]);
  });

  it('shows camera gone after unplug', async () => {
    devices = [PTZ_INTERFACE];
    await vi.advanceTimersByTimeAsync(2000);
    devices = [];
    await vi.advanceTimersByTimeAsync(2000);

    expect(service.status().connected).toBe(false);
    expect(opener.last.closed).toBe(true);
  });

  it('names camera for unsupported command', async () => {
    devices = [PTZ_INTERFACE];
    await vi.advanceTimersByTimeAsync(2000);

    // The Logitech profile has no home command.
    await expect(service.home()).rejects.toMatchObject({
      code: 'PODIUM_ERR_PTZ_UNSUPPORTED',
      message: expect.stringContaining('"Logitech PTZ Pro 2 (vendor HID interface)" cannot home'),
    });
  });

  it('names camera for failed write', async () => {
    devices = [PTZ_INTERFACE];
    await vi.advanceTimersByTimeAsync(2000);
    opener.last.failNextWrite();

    await expect(service.zoom(1)).rejects.toMatchObject({
      code: 'PODIUM_ERR_PTZ_COMMAND_FAILED',
      message: expect.stringContaining('"Logitech PTZ Pro 2 (vendor HID interface)" did not carry out zoom'),
    });
  });

  describe('console lease', () => {
    /** Plugs the camera in and returns how many reports it has received so far. */
    async function plugIn(): Promise<() => number> {
      devices = [PTZ_INTERFACE];
      await vi.advanceTimersByTimeAsync(2000);

      return () => opener.last.reports.length;
    }

    it('stops held move without renewal', async () => {
      const reports = await plugIn();

      await service.heldMove({ pan: -1, tilt: 0 });
      await vi.advanceTimersByTimeAsync(MOTION_LEASE_MS + 100);
      const afterExpiry = reports();
      await vi.advanceTimersByTimeAsync(2000);

      expect(afterExpiry).toBeGreaterThan(1);
      expect(reports()).toBe(afterExpiry);
    });

    it('keeps renewed move going', async () => {
      const reports = await plugIn();

      for (let renewal = 0; renewal < 10; renewal++) {
        await service.heldMove({ pan: -1, tilt: 0 });
        await vi.advanceTimersByTimeAsync(500);
      }
      const beforeLastWindow = reports();
      await vi.advanceTimersByTimeAsync(1000);

      // 5 s of a step every 200 ms, and still stepping 1 s after the last renewal.
      expect(beforeLastWindow).toBeGreaterThanOrEqual(20);
      expect(reports()).toBeGreaterThan(beforeLastWindow);
    });

    it('stops held zoom without renewal', async () => {
      const reports = await plugIn();

      await service.heldZoom(1);
      await vi.advanceTimersByTimeAsync(MOTION_LEASE_MS + 100);
      const afterExpiry = reports();
      await vi.advanceTimersByTimeAsync(2000);

      expect(reports()).toBe(afterExpiry);
    });

    it('never cuts joystick move', async () => {
      const reports = await plugIn();

      await service.heldMove({ pan: 1, tilt: 0 });
      await service.move({ pan: -1, tilt: 0 });
      await vi.advanceTimersByTimeAsync(MOTION_LEASE_MS * 3);
      const later = reports();
      await vi.advanceTimersByTimeAsync(1000);

      expect(reports()).toBeGreaterThan(later);
    });

    it('ends lease on console stop', async () => {
      const reports = await plugIn();

      await service.heldMove({ pan: 1, tilt: 0 });
      await service.stop();
      await service.move({ pan: -1, tilt: 0 });
      await vi.advanceTimersByTimeAsync(MOTION_LEASE_MS * 3);
      const later = reports();
      await vi.advanceTimersByTimeAsync(1000);

      expect(reports()).toBeGreaterThan(later);
    });
  });
});

describe('loadConfiguredProfile', () => {
  it('names key and value of a missing profile', () => {
    expect(() => loadConfiguredProfile('ptz.hid.profile', 'no-such-camera', CAMERA_PROFILES_DIR)).toThrow(
      /^key "ptz\.hid\.profile" has value "no-such-camera", and invalid camera profile .*no-such-camera\.json:\n {2}- cannot read the file \(ENOENT\)/,
    );
  });

  it('names problems of an unfinished template', () => {
    const template = join(process.cwd(), CAMERA_PROFILES_DIR, 'visca-over-hid.template.json');

    expect(() => loadConfiguredProfile('ptz.hid.profile', template, CAMERA_PROFILES_DIR)).toThrow('field "vendorId"');
  });
});

/** A connected camera with its own preset memory (VISCA), or with positions Podium keeps (UVC) when keepsPositions is set. */
class FakePresetCamera extends EventEmitter<PtzDriverEvents> implements PtzDriver {
  readonly profileName = 'fake preset camera';
  readonly capabilities: PtzCapabilities = { commands: ['home', 'presetRecall', 'presetSave'], presets: { min: 1, max: 6 } };
  readonly closed = false;
  readonly calls: string[] = [];
  readonly #positions = new Map<number, Record<string, number>>();

  constructor(keepsPositions: boolean) {
    super();
    if (!keepsPositions) return;
    this.presetPosition = (preset) => this.#positions.get(preset);
    this.restorePresetPosition = (preset, position) => {
      this.calls.push(`restore ${preset} ${JSON.stringify(position)}`);
      this.#positions.set(preset, position);
    };
  }

  presetPosition?: (preset: number) => Record<string, number> | undefined;
  restorePresetPosition?: (preset: number, position: Record<string, number>) => void;

  async move(): Promise<void> {}
  async stop(): Promise<void> {}
  async zoom(): Promise<void> {}
  async home(): Promise<void> {}
  async recallPreset(preset: number): Promise<void> {
    this.calls.push(`recall ${preset}`);
  }
  async savePreset(preset: number): Promise<void> {
    this.#positions.set(preset, { pan_absolute: 3600, zoom_absolute: 200 });
  }
  close(): void {}
}

describe('PtzService presets per camera', () => {
  let dataDir: string;
  let store: Store;
  const services: PtzService[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'podium-ptz-presets-'));
    store = new Store(join(dataDir, 'podium.sqlite'));
  });

  afterEach(() => {
    services.splice(0).forEach((service) => service.close());
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts a PtzService on the shared store, as Podium does at each start. */
  function start(camera: PtzCameraKind, description: string, driver: PtzDriver): PtzService {
    const link: PtzCameraLink = { driver, description, start: () => {}, close: () => {} };
    const service = new PtzService(idleController, store, { camera, link }, logger);

    services.push(service);

    return service;
  }

  it('keeps kinds apart', async () => {
    await start('visca-udp', 'VISCA over UDP 10.0.0.5', new FakePresetCamera(false)).savePreset(0);

    const uvc = start('uvc', 'UVC camera /dev/video2', new FakePresetCamera(true));

    expect(uvc.presets()[0]?.saved).toBe(false);
    await expect(uvc.recallPreset(0)).rejects.toMatchObject({ code: 'PODIUM_ERR_PTZ_PRESET_EMPTY' });
  });

  it('keeps VISCA slot across restart', async () => {
    await start('visca-udp', 'VISCA over UDP 10.0.0.5', new FakePresetCamera(false)).savePreset(2);

    const camera = new FakePresetCamera(false);
    const restarted = start('visca-udp', 'VISCA over UDP 10.0.0.5', camera);

    expect(restarted.presets()[2]?.saved).toBe(true);
    await restarted.recallPreset(2);
    expect(camera.calls).toEqual(['recall 3']);
  });

  it('restores UVC position after restart', async () => {
    await start('uvc', 'UVC camera /dev/video2', new FakePresetCamera(true)).savePreset(1);

    const camera = new FakePresetCamera(true);
    const restarted = start('uvc', 'UVC camera /dev/video2', camera);

    expect(restarted.presets()[1]?.saved).toBe(true);
    await restarted.recallPreset(1);
    expect(camera.calls).toEqual(['restore 2 {"pan_absolute":3600,"zoom_absolute":200}', 'recall 2']);
  });

  it('ignores old shared key', () => {
    store.setSetting('ptzPresets', JSON.stringify([{ name: 'Rednerpult', window: { x: 0, y: 0, width: 0, height: 0 } }]));

    expect(start('uvc', 'UVC camera /dev/video2', new FakePresetCamera(true)).presets()[0]?.saved).toBe(false);
  });
});
