import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('offers what the Logitech profile supports', async () => {
    const { body } = await podium.api('GET', '/api/ptz');

    expect(body.available).toBe(true);
    expect(body.profileName).toContain('Logitech PTZ Pro 2');
    expect(body.capabilities.commands).toEqual(expect.arrayContaining(['pan', 'tilt', 'zoom']));
    expect(body.capabilities.commands).not.toContain('presetRecall');
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

  it('rejects a command without a live camera', async () => {
    const { body } = await podium.api('GET', '/api/events');

    await podium.api('POST', `/api/events/${body.events[0].id}/stop`);

    const moved = await podium.api('POST', '/api/ptz/move', { pan: 1, tilt: 0 });

    expect(moved.status).toBe(409);
    expect(moved.body.code).toBe('PODIUM_ERR_PTZ_UNAVAILABLE');
  });
});
