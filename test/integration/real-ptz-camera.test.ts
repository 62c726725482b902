import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/** VISCA packets of camera address 2, at the middle pan and tilt speeds 0x0d and 0x0b. */
const PAN_LEFT = [0x82, 0x01, 0x06, 0x01, 0x0d, 0x0b, 0x01, 0x03, 0xff];
const STOP = [0x82, 0x01, 0x06, 0x01, 0x0d, 0x0b, 0x03, 0x03, 0xff];
const MEMORY_RECALL_3 = [0x82, 0x01, 0x04, 0x3f, 0x02, 0x03, 0xff];

describe('a VISCA over UDP camera in Podium', () => {
  let podium: TestPodium;
  const camera = dgram.createSocket('udp4');
  const datagrams: number[][] = [];

  beforeAll(async () => {
    camera.on('message', (datagram) => datagrams.push([...datagram]));
    await new Promise<void>((resolve) => camera.bind(0, '127.0.0.1', resolve));
    podium = await startTestPodium({
      ptz: { camera: 'visca-udp', viscaUdp: { host: '127.0.0.1', port: camera.address().port, framing: 'raw', address: 2 } },
    });
  });

  afterAll(async () => {
    await podium?.close();
    camera.close();
  });

  it('connects without a live event', async () => {
    const body = await waitFor('the camera to connect', async () => {
      const status = (await podium.api('GET', '/api/ptz')).body;

      return status.connected ? status : undefined;
    });

    expect(body.camera).toBe('visca-udp');
    expect(body.profileName).toContain('VISCA over UDP 127.0.0.1');
    expect(body.capabilities.commands).toEqual(['pan', 'tilt', 'zoom', 'home', 'presetRecall', 'presetSave']);
  });

  it('sends a move and the stop on release', async () => {
    await podium.api('POST', '/api/ptz/move', { pan: -1, tilt: 0 });
    await podium.api('POST', '/api/ptz/stop');
    await waitFor('two datagrams', () => datagrams.length >= 2);

    expect(datagrams.slice(0, 2)).toEqual([PAN_LEFT, STOP]);
  });

  it('saves and recalls console slot 3 as camera memory 3', async () => {
    const saved = await podium.api('POST', '/api/ptz/presets/3/save');
    const recalled = await podium.api('POST', '/api/ptz/presets/3/recall');

    await waitFor('the recall datagram', () => datagrams.length >= 4);

    expect(saved.status).toBe(200);
    expect(recalled.status).toBe(200);
    expect(datagrams[3]).toEqual(MEMORY_RECALL_3);
  });
});

describe('a HID camera that is not plugged in', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    // The test machine has no USB devices, so node-hid lists no camera.
    podium = await startTestPodium({ ptz: { camera: 'hid', hid: { profile: 'logitech-ptz-pro-2' } } });
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('reports the camera not connected', async () => {
    const { body } = await podium.api('GET', '/api/ptz');

    expect(body).toEqual({
      camera: 'hid',
      connected: false,
      available: false,
      profileName: 'Logitech PTZ Pro 2 (vendor HID interface)',
      capabilities: null,
    });
  });

  it('rejects a move with 409', async () => {
    const moved = await podium.api('POST', '/api/ptz/move', { pan: 1, tilt: 0 });

    expect(moved.status).toBe(409);
    expect(moved.body.code).toBe('PODIUM_ERR_PTZ_UNAVAILABLE');
  });
});

describe('a missing HID profile', () => {
  it('stops the start naming the key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'podium-test-'));
    const start = startTestPodium({ ptz: { camera: 'hid', hid: { profile: 'no-such-camera' } } }, dataDir);

    try {
      await expect(start).rejects.toThrow(/^key "ptz\.hid\.profile" has value "no-such-camera", and invalid camera profile/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
