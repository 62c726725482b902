import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLine } from '../helpers/processes.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

describe('the simulated PTZ camera', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium();

    await podium.goLive();
  });

  afterAll(async () => {
    await podium?.close();
  });

  function camera() {
    return podium.podium.controller.liveEvent!.venue!.simulatedCamera!;
  }

  it('offers the profile and Podium-kept commands', async () => {
    const { body } = await podium.api('GET', '/api/ptz');

    expect(body.camera).toBe('simulated');
    expect(body.connected).toBe(true);
    expect(body.available).toBe(true);
    expect(body.profileName).toContain('Logitech PTZ Pro 2');
    // The profile pans, tilts and zooms; Podium keeps home and the presets of the simulated camera.
    expect(body.capabilities.commands).toEqual(['pan', 'tilt', 'zoom', 'home', 'presetRecall', 'presetSave']);
  });

  it('goes home to the middle of the scene', async () => {
    await podium.api('POST', '/api/ptz/move', { pan: 1, tilt: 0 });
    await waitFor('the window to move right', () => camera().window.x > 640);
    expect((await podium.api('POST', '/api/ptz/home')).status).toBe(200);

    expect(camera().window).toEqual({ x: 640, y: 360, width: 1280, height: 720 });
  });

  it('pans left while held and stops on release', async () => {
    const start = camera().window.x;

    expect((await podium.api('POST', '/api/ptz/move', { pan: -1, tilt: 0 })).status).toBe(200);
    await waitFor('the window to move two steps', () => camera().window.x <= start - 80);
    await podium.api('POST', '/api/ptz/stop');

    const stoppedAt = camera().window.x;

    // Two repeat periods (2 × 200 ms) later, the window must not have moved again.
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(camera().window.x).toBe(stoppedAt);
    expect(camera().window.y).toBe(360);
  });

  it('zooms in with a smaller window', async () => {
    const before = camera().window.width;

    await podium.api('POST', '/api/ptz/zoom', { direction: 1 });
    await waitFor('a smaller window', () => camera().window.width < before);
    await podium.api('POST', '/api/ptz/zoom', { direction: 0 });

    expect(camera().window.width / camera().window.height).toBeCloseTo(16 / 9, 1);
  });

  it('recalls a saved position and refuses an empty one', async () => {
    const empty = await podium.api('POST', '/api/ptz/presets/5/recall');
    const saved = await podium.api('POST', '/api/ptz/presets/0/save');
    const savedWindow = camera().window;

    await podium.api('POST', '/api/ptz/move', { pan: 1, tilt: 1 });
    await waitFor('the window to move away', () => camera().window.x > savedWindow.x);
    await podium.api('POST', '/api/ptz/stop');
    await podium.api('POST', '/api/ptz/presets/0/recall');
    await waitFor('the window to rest', () => camera().window.x === savedWindow.x);

    expect(empty.status).toBe(409);
    expect(empty.body.code).toBe('PODIUM_ERR_PTZ_PRESET_EMPTY');
    expect(saved.body).toEqual({ slot: 0, name: 'Rednerpult', saved: true });
    expect(camera().window).toEqual(savedWindow);
  });

  it('keeps saved positions in the store', async () => {
    const { body } = await podium.api('GET', '/api/ptz/presets');
    const stored = JSON.parse(podium.podium.store.getSetting('ptzPresets:simulated')!);

    expect(body.presets).toHaveLength(6);
    expect(body.presets.map((preset: { saved: boolean }) => preset.saved)).toEqual([true, false, false, false, false, false]);
    expect(stored[0].window.width).toBe(camera().window.width);
  });

  it('rejects a command without a live camera', async () => {
    const { body } = await podium.api('GET', '/api/events');

    await podium.api('POST', `/api/events/${body.events[0].id}/stop`);

    const moved = await podium.api('POST', '/api/ptz/move', { pan: 1, tilt: 0 });

    expect(moved.status).toBe(409);
    expect(moved.body.code).toBe('PODIUM_ERR_PTZ_UNAVAILABLE');
  });
});

describe('the test picture without the simulated PTZ camera', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium({ ptz: { camera: 'none' } });

    await podium.goLive();
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('is the plain test pattern', async () => {
    const capture = podium.podium.supervisor.running().find((entry) => entry.name === 'camera');
    const command = commandLine(capture!.pid!) ?? '';

    expect(podium.podium.controller.liveEvent!.venue!.simulatedCamera).toBeUndefined();
    expect(command).toContain('testsrc2=size=1280x720');
    expect(command).not.toContain('zmq');
  });
});
