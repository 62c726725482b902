import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config/load.js';
import { createLogger } from '../log.js';
import { Supervisor } from '../process/supervisor.js';
import { Store } from '../store/store.js';
import type { DevicePreviews } from '../signaling/protocol.js';
import { VenueDevices } from '../../capture/devices/venue-devices.js';
import { C920_ID, C920_NODE, fakeVenueDevices, HDMI_STICK_NODE } from '../../test/helpers/fake-devices.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import { DeviceSetup } from './device-setup.js';

const logger = createLogger('silent');
const MINI = 'CARD=Mini,DEV=0';

function cameraState(previews: DevicePreviews, id: string): string | undefined {
  return previews.cameras.find((camera) => camera.id === id)?.state;
}

describe('DeviceSetup', () => {
  let dataDir: string;
  let store: Store;
  let supervisor: Supervisor;
  let setup: DeviceSetup;
  let layer: ReturnType<typeof fakeVenueDevices>;
  const config = parseConfig({});

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'podium-device-setup-'));
    store = new Store(join(dataDir, 'podium.sqlite'));
    supervisor = new Supervisor(logger);
    layer = fakeVenueDevices();
    setup = new DeviceSetup({ layer, supervisor, config, store, logger });
  });

  afterEach(async () => {
    await setup.close();
    await supervisor.stopAll();
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Returns the running preview and meter processes of a kind. */
  const running = (name: string) => supervisor.running().filter((process) => process.name === name);

  it('lists test sources first', async () => {
    const info = await setup.info();

    expect(info.cameras[0]).toMatchObject({ id: 'test-pattern', kind: 'test-pattern' });
    expect(info.microphones[0]).toMatchObject({ id: 'test-tone', kind: 'test-tone' });
    expect(info.selection).toEqual({ camera: 'test-pattern', microphone: 'test-tone' });
    expect(info.cameras.find((camera) => camera.id === C920_ID)?.mode).toBe('MJPEG 1280x720 at 30 fps');
    expect(info.cameras.find((camera) => camera.id === C920_ID)?.node).toBe(C920_NODE);
    expect(info.cameras.find((camera) => camera.id === HDMI_STICK_NODE)?.node).toBe(HDMI_STICK_NODE);
  });

  it('capture claim stops the preview', async () => {
    await setup.info();
    await waitFor('the camera preview', () => cameraState(setup.previews(), C920_ID) === 'running', { timeoutMs: 15_000 });
    expect(running('camera-preview')).toHaveLength(3);

    // The capture names the camera by its stable path and claims its node, which the preview holds.
    const venue = parseConfig({ venue: { video: { source: 'v4l2', device: C920_ID } } }).venue;
    const capture = new VenueDevices({ discovery: setup.discovery, claims: setup.claims, venue, logger });

    await capture.claim();
    // The claim resolved after the preview's ffmpeg exited: only the other two previews run.
    expect(running('camera-preview')).toHaveLength(2);
    expect(cameraState(setup.previews(), C920_ID)).toBe('in-use');
    expect(running('camera-preview')).toHaveLength(2);

    capture.release();
    await waitFor('the preview to run again', () => cameraState(setup.previews(), C920_ID) === 'running', {
      timeoutMs: 15_000,
    });
  });

  it('preview of a pulled camera fails', async () => {
    await setup.info();
    layer.unplugCamera(HDMI_STICK_NODE);

    const failed = await waitFor(
      'the preview to fail',
      () => setup.previews().cameras.find((camera) => camera.id === HDMI_STICK_NODE && camera.state === 'failed'),
      { timeoutMs: 15_000 },
    );

    expect(failed.failure).toContain(HDMI_STICK_NODE);
    expect(setup.claims.holderOf(HDMI_STICK_NODE)).toBeUndefined();
    // The failed preview is not started again on the next poll.
    expect(setup.previews().cameras.find((camera) => camera.id === HDMI_STICK_NODE)?.state).toBe('failed');
  });

  it('held camera shows the capture picture', async () => {
    await setup.info();

    const venue = parseConfig({ venue: { video: { source: 'v4l2', device: C920_ID } } }).venue;
    const capture = new VenueDevices({ discovery: setup.discovery, claims: setup.claims, venue, logger });
    const picture = Buffer.from('a JPEG from the capture');

    await capture.claim();
    setup.capturePicture = () => ({ picture, at: 1234 });

    const preview = setup.previews().cameras.find((camera) => camera.id === C920_ID);

    expect(preview?.state).toBe('in-use');
    expect(preview?.pictureAt).toBe(1234);
    expect(setup.picture(C920_ID)).toBe(picture);
    expect(setup.picture(HDMI_STICK_NODE)).not.toBe(picture);
    capture.release();
  });

  it('meter of a held microphone shows the capture level', async () => {
    await setup.info();

    const venue = parseConfig({ venue: { audio: { source: 'alsa', device: `hw:${MINI}` } } }).venue;
    const capture = new VenueDevices({ discovery: setup.discovery, claims: setup.claims, venue, logger });

    await capture.claim();
    setup.captureLevel = { peakDb: -12, rmsDb: -20 };

    const meter = setup.previews().microphones.find((microphone) => microphone.id === MINI);

    expect(meter?.state).toBe('in-use');
    expect(meter?.level).toEqual({ peakDb: -12, rmsDb: -20 });
    // Meters run for the test tone and the webcam microphone, not for the held one.
    expect(running('microphone-meter')).toHaveLength(2);
    capture.release();
  });

  it('selection is stored and applied', async () => {
    await setup.info();
    setup.select({ camera: C920_ID, microphone: MINI });

    const again = new DeviceSetup({ layer: fakeVenueDevices(), supervisor, config, store, logger });

    expect(again.selection()).toEqual({ camera: C920_ID, microphone: MINI });
    expect(again.venueConfig().video).toMatchObject({ source: 'v4l2', device: C920_ID, width: 1280 });
    expect(again.venueConfig().audio).toMatchObject({ source: 'alsa', device: `hw:${MINI}` });
    await again.close();
  });

  it('rejects an unknown microphone', async () => {
    await setup.info();
    expect(() => setup.select({ camera: 'test-pattern', microphone: 'CARD=Gone,DEV=0' })).toThrow(/CARD=Gone,DEV=0/);
  });

  it('discovers periodically while polled', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      const layer = fakeVenueDevices();
      const periodic = new DeviceSetup({ layer, supervisor, config, store, logger });
      const listings = () => layer.commands.filter((command) => command === 'arecord -l').length;

      await periodic.info();
      expect(listings()).toBe(1);

      layer.unplugCamera(HDMI_STICK_NODE);
      await vi.advanceTimersByTimeAsync(5000);
      expect(listings()).toBe(2);
      expect((await periodic.info()).cameras.map((camera) => camera.id)).not.toContain(HDMI_STICK_NODE);

      // Without requests the screen counts as closed after 15 s, and discovery stops.
      await vi.advanceTimersByTimeAsync(30_000);

      const afterClose = listings();

      await vi.advanceTimersByTimeAsync(30_000);
      expect(listings()).toBe(afterClose);
      expect(afterClose).toBeLessThanOrEqual(6);
      await periodic.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
