import { describe, expect, it } from 'vitest';
import { createLogger } from '../../appliance/log.js';
import {
  C920_ID,
  C920_NODE,
  deviceFixture,
  fakeVenueDevices,
  HDMI_METADATA_NODE,
  HDMI_STICK_NODE,
} from '../../test/helpers/fake-devices.js';
import { DeviceClaims } from './device-claims.js';
import { DeviceDiscovery } from './device-discovery.js';
import { FakeDeviceLayer } from './fake-device-layer.js';

const logger = createLogger('silent');
const TARGET = { width: 1280, height: 720, fps: 30 };

function discoveryOf(layer: FakeDeviceLayer, claims = new DeviceClaims()): DeviceDiscovery {
  return new DeviceDiscovery(layer, claims, logger);
}

describe('DeviceDiscovery', () => {
  it('lists cameras with their chosen modes', async () => {
    const result = await discoveryOf(fakeVenueDevices()).discover(TARGET);
    const nodes = result.cameras.map((camera) => camera.node);

    expect(nodes).toEqual([C920_NODE, HDMI_STICK_NODE]);
    expect(result.problems).toEqual([]);

    const c920 = result.cameras[0]!;

    expect(c920.name).toBe('HD Pro Webcam C920');
    expect(c920.busInfo).toBe('usb-0000:0a:00.3-3');
    expect(c920.stablePath).toBe(C920_ID);
    expect(result.cameras[1]!.stablePath).toBeNull();
    expect(c920.choice.ok).toBe(true);
    if (!c920.choice.ok) return;
    expect(c920.choice.width).toBe(1280);
    expect(c920.choice.height).toBe(720);
    expect(c920.choice.fps).toBe(30);
    expect(c920.choice.inputOptions).toContain('-input_format');
  });

  it('skips a node that captures no video', async () => {
    const result = await discoveryOf(fakeVenueDevices()).discover(TARGET);

    expect(result.cameras.map((camera) => camera.node)).not.toContain(HDMI_METADATA_NODE);
  });

  it('lists microphones by card id', async () => {
    const result = await discoveryOf(fakeVenueDevices()).discover(TARGET);
    const mini = result.microphones.find((microphone) => microphone.cardId === 'Mini');
    const webcam = result.microphones.find((microphone) => microphone.cardId === 'HD3000');

    expect(result.microphones.map((microphone) => microphone.key)).toEqual(['CARD=Mini,DEV=0', 'CARD=HD3000,DEV=0']);
    expect(mini?.name).toBe('RODE USB Mini');
    expect(mini?.choice.plugin).toBe('plughw');
    expect(mini?.choice.device).toBe('plughw:CARD=Mini,DEV=0');
    expect(webcam?.choice.plugin).toBe('hw');
    expect(webcam?.choice.channels).toBe(1);
  });

  it('opens microphones by card id, not number', async () => {
    const layer = fakeVenueDevices();

    await discoveryOf(layer).discover(TARGET);

    expect(layer.commands).toContain('arecord -D hw:CARD=Mini,DEV=0 --dump-hw-params -d 1 /dev/null');
  });

  it('sees a camera plugged in later', async () => {
    const layer = fakeVenueDevices();
    const discovery = discoveryOf(layer);

    await discovery.discover(TARGET);
    layer.plugCamera({ node: '/dev/video20', listing: deviceFixture('v4l2-formats-logitech-c920.txt') });

    const result = await discovery.discover(TARGET);

    expect(result.cameras.map((camera) => camera.node)).toContain('/dev/video20');
  });

  it('drops an unplugged camera and microphone', async () => {
    const layer = fakeVenueDevices();
    const discovery = discoveryOf(layer);

    await discovery.discover(TARGET);
    layer.unplugCamera(C920_NODE);
    layer.unplugSoundCard('Mini');

    const result = await discovery.discover(TARGET);

    expect(result.cameras.map((camera) => camera.node)).toEqual([HDMI_STICK_NODE]);
    expect(result.microphones.map((microphone) => microphone.cardId)).toEqual(['HD3000']);
    expect(result.problems).toEqual([]);
  });

  it('reports a camera that vanishes before it is opened', async () => {
    const layer = fakeVenueDevices();

    layer.plugCamera({ node: '/dev/video20', listing: deviceFixture('v4l2-formats-logitech-c920.txt'), vanishesOnOpen: true });

    const result = await discoveryOf(layer).discover(TARGET);

    expect(result.cameras.map((camera) => camera.node)).not.toContain('/dev/video20');
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain('/dev/video20');
    expect(result.problems[0]).toContain('Cannot open device');
  });

  it('does not open a device the capture holds', async () => {
    const layer = fakeVenueDevices();
    const claims = new DeviceClaims();
    const discovery = discoveryOf(layer, claims);
    const first = await discovery.discover(TARGET);
    const cameraClaim = await claims.claim(C920_NODE, 'capture');
    const microphoneClaim = await claims.claim('CARD=Mini,DEV=0', 'capture');

    layer.commands.length = 0;

    const second = await discovery.discover(TARGET);

    expect(layer.commands.filter((command) => command.includes(C920_NODE))).toEqual([]);
    expect(layer.commands.filter((command) => command.includes('CARD=Mini'))).toEqual([]);
    expect(second.cameras.find((camera) => camera.node === C920_NODE)).toEqual(first.cameras[0]);
    expect(second.microphones.map((microphone) => microphone.cardId)).toContain('Mini');
    cameraClaim.release();
    microphoneClaim.release();
  });

  it('returns no microphones on a machine without sound cards', async () => {
    const layer = new FakeDeviceLayer();
    const result = await discoveryOf(layer).discover(TARGET);

    expect(result.microphones).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it('explains a failing listing command', async () => {
    const layer = fakeVenueDevices();

    layer.run = async () => ({ code: 127, stdout: '', stderr: "/usr/bin/env: 'arecord': No such file or directory" });

    const result = await discoveryOf(layer).discover(TARGET);

    expect(result.cameras).toEqual([]);
    expect(result.problems.some((problem) => problem.includes('arecord -l failed (exit code 127)'))).toBe(true);
  });
});
