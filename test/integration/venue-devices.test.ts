import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceFixture, fakeVenueDevices } from '../helpers/fake-devices.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';
import type { FakeDeviceLayer } from '../../capture/devices/fake-device-layer.js';

const MISSING_NODE = '/dev/video7';

describe('venue capture with a missing camera', () => {
  let podium: TestPodium;
  let layer: FakeDeviceLayer;
  let eventId: string;

  beforeAll(async () => {
    layer = fakeVenueDevices();
    podium = await startTestPodium({ venue: { video: { source: 'v4l2', device: MISSING_NODE } } }, undefined, undefined, {
      deviceLayer: layer,
    });
    // The slate replaces the missing camera, so the event goes live.
    eventId = await podium.goLive();
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('shows the problem on the console', async () => {
    const venue = await waitFor(
      'a camera problem',
      async () => {
        const state = await podium.state();

        return state.venue?.cameraProblem ? state.venue : undefined;
      },
      { timeoutMs: 15_000 },
    );

    expect(venue.cameraProblem).toContain(`Camera ${MISSING_NODE} is not available`);
    expect(venue.cameraProblem).toContain('Cannot open device');
    expect(venue.cameraProblem).toContain('Connect it, or choose another device in the setup screen');
  });

  it('capture holds the camera while live', () => {
    expect(podium.podium.devices.claims.holderOf(MISSING_NODE)).toBe('capture');
  });

  it('setup screen leaves the held camera alone', async () => {
    layer.plugCamera({ node: MISSING_NODE, listing: deviceFixture('v4l2-formats-logitech-c920.txt') });

    const { body } = await podium.api('POST', '/api/devices/refresh');
    const cameras = (body.cameras as { node: string | null }[]).map((camera) => camera.node);

    // Discovery lists the other cameras but does not open the one the capture holds.
    expect(cameras).toContain('/dev/video10');
    expect(cameras).not.toContain(MISSING_NODE);
  });

  it('problem clears when the camera lists again', async () => {
    await waitFor('the camera problem to clear', async () => ((await podium.state()).venue?.cameraProblem ? undefined : true), {
      timeoutMs: 30_000,
    });
  });

  it('stop releases the camera', async () => {
    await podium.api('POST', `/api/events/${eventId}/stop`);
    expect(podium.podium.devices.claims.holderOf(MISSING_NODE)).toBeUndefined();
  });
});
