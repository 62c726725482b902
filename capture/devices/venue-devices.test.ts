import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../appliance/config/load.js';
import { createLogger } from '../../appliance/log.js';
import { resolveFfmpegPath } from '../../appliance/process/ffmpeg.js';
import { MultipartJpegReader } from './multipart-jpeg.js';
import { C920_NODE, deviceFixture, fakeVenueDevices, HDMI_STICK_NODE } from '../../test/helpers/fake-devices.js';
import { buildAudioCaptureArgs, buildVideoCaptureArgs } from '../venue-source-args.js';
import { DeviceClaims } from './device-claims.js';
import { DeviceDiscovery } from './device-discovery.js';
import { VenueDevices } from './venue-devices.js';
import { SystemDeviceLayer } from './device-layer.js';
import type { FakeDeviceLayer } from './fake-device-layer.js';
import { Supervisor } from '../../appliance/process/supervisor.js';

const logger = createLogger('silent');
const VIDEO_TARGET = { rtpPort: 5004, rtcpPort: 5005, ssrc: 11111111, localRtpPort: 6004, localRtcpPort: 6005 };
const AUDIO_TARGET = { rtpPort: 5006, rtcpPort: 5007, ssrc: 22222222, localRtpPort: 6006, localRtcpPort: 6007 };

/**
 * Returns the fake devices with the inputs a real machine gives (v4l2 and
 * alsa), in place of the fake's lavfi sources, to check the capture's
 * device arguments.
 */
function withSystemInputs(layer: FakeDeviceLayer): FakeDeviceLayer {
  const system = new SystemDeviceLayer(new Supervisor(logger));

  layer.cameraInput = (node, options) => system.cameraInput(node, options);
  layer.microphoneInput = (device, options) => system.microphoneInput(device, options);

  return layer;
}

function venueDevicesFor(venue: object, layer = fakeVenueDevices(), claims = new DeviceClaims()) {
  const config = parseConfig({ venue });
  const devices = new VenueDevices({ discovery: new DeviceDiscovery(layer, claims, logger), claims, venue: config.venue, logger });

  return { config, devices, layer, claims };
}

/** Returns the options between the last -f v4l2/alsa and the -i that follows it. */
function inputOptionsOf(args: string[], device: string): string[] {
  const input = args.indexOf(device);

  expect(args[input - 1]).toBe('-i');

  return args.slice(args.lastIndexOf('-f', input), input - 1);
}

function valueOf(options: string[], flag: string): string | undefined {
  const index = options.indexOf(flag);

  return index < 0 ? undefined : options[index + 1];
}

describe('VenueDevices', () => {
  it('camera capture uses a listed mode', async () => {
    const { config, devices, layer } = venueDevicesFor(
      { video: { source: 'v4l2', device: C920_NODE, width: 1920, height: 1080, fps: 30 } },
      withSystemInputs(fakeVenueDevices()),
    );
    const deviceInput = await devices.chooseCameraInput();
    const args = buildVideoCaptureArgs({ video: config.venue.video, encoding: config.encoding, target: VIDEO_TARGET, deviceInput });
    const options = inputOptionsOf(args, C920_NODE);
    const listing = (await new DeviceDiscovery(layer, new DeviceClaims(), logger).listCamera(C920_NODE)).formats;
    const format = listing.find((entry) => entry.inputFormat === valueOf(options, '-input_format'));
    const [width, height] = (valueOf(options, '-video_size') ?? '').split('x').map(Number);
    const size = format?.sizes.find((entry) => entry.kind === 'discrete' && entry.width === width && entry.height === height);
    const intervals = size?.kind === 'discrete' ? (size.intervals ?? []) : [];
    const rates = intervals.map((interval) => (interval.kind === 'discrete' ? interval.fps : 0));

    expect(options.slice(0, 2)).toEqual(['-f', 'v4l2']);
    // The C920 reaches 30 fps at 1920x1080 only in MJPEG (YUYV manages 5 fps there).
    expect(valueOf(options, '-input_format')).toBe('mjpeg');
    expect(valueOf(options, '-video_size')).toBe('1920x1080');
    expect(valueOf(options, '-framerate')).toBe('30');
    expect(rates).toContain(30);
    expect(devices.problems).toEqual({});
  });

  it('input format override limits the choice', async () => {
    const { devices } = venueDevicesFor(
      { video: { source: 'v4l2', device: C920_NODE, width: 640, height: 480, fps: 30, inputFormat: 'yuyv422' } },
      withSystemInputs(fakeVenueDevices()),
    );
    const options = await devices.chooseCameraInput();

    expect(valueOf(options ?? [], '-input_format')).toBe('yuyv422');
  });

  it('missing camera becomes a console problem', async () => {
    const { devices } = venueDevicesFor({ video: { source: 'v4l2', device: '/dev/video7' } });
    const reported: string[] = [];

    devices.on('problems', (problems) => reported.push(problems.camera ?? ''));

    expect(await devices.chooseCameraInput()).toBeUndefined();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toContain('Camera /dev/video7 is not available');
    expect(reported[0]).toContain('exiting. Connect it, or choose another device in the setup screen');
  });

  it('problem clears when the camera returns', async () => {
    const layer = fakeVenueDevices();
    const { devices } = venueDevicesFor({ video: { source: 'v4l2', device: C920_NODE } }, layer);

    layer.unplugCamera(C920_NODE);
    await devices.chooseCameraInput();
    expect(devices.problems.camera).toBeDefined();
    layer.plugCamera({ node: C920_NODE, listing: deviceFixture('v4l2-formats-logitech-c920.txt') });
    expect(await devices.chooseCameraInput()).toBeDefined();
    expect(devices.problems).toEqual({});
  });

  it('camera without the forced format is a problem', async () => {
    const { devices } = venueDevicesFor({ video: { source: 'v4l2', device: HDMI_STICK_NODE, inputFormat: 'h264' } });

    expect(await devices.chooseCameraInput()).toBeUndefined();
    expect(devices.problems.camera).toContain('offers no usable mode with venue.video.inputFormat h264');
    expect(devices.problems.camera).toContain('set venue.video.inputFormat to auto');
  });

  it('24-bit mono microphone opens through plughw', async () => {
    const { config, devices } = venueDevicesFor(
      { audio: { source: 'alsa', device: 'hw:CARD=Mini,DEV=0' } },
      withSystemInputs(fakeVenueDevices()),
    );
    const input = await devices.chooseMicrophoneInput();
    const args = buildAudioCaptureArgs({
      audio: { ...config.venue.audio, device: input!.device },
      encoding: config.encoding,
      target: AUDIO_TARGET,
      deviceInput: input!.input,
    });
    const options = inputOptionsOf(args, 'plughw:CARD=Mini,DEV=0');

    expect(options.filter((option) => option === '-f')).toHaveLength(1);
    expect(valueOf(options, '-f')).toBe('alsa');
    expect(valueOf(options, '-channels')).toBe('1');
    expect(valueOf(options, '-sample_rate')).toBe('48000');
  });

  it('microphone by number is used as configured', async () => {
    const { devices } = venueDevicesFor({ audio: { source: 'alsa', device: 'hw:1,0' } });

    expect(await devices.chooseMicrophoneInput()).toBeUndefined();
    expect(devices.problems).toEqual({});
  });

  it('claim holds camera and microphone', async () => {
    const { devices, claims } = venueDevicesFor({
      video: { source: 'v4l2', device: C920_NODE },
      audio: { source: 'alsa', device: 'plughw:CARD=Mini,DEV=0' },
    });

    await devices.claim();
    expect(claims.holderOf(C920_NODE)).toBe('capture');
    expect(claims.holderOf('CARD=Mini,DEV=0')).toBe('capture');
    devices.release();
    expect(claims.holderOf(C920_NODE)).toBeUndefined();
  });
});

describe('capture preview pictures', () => {
  const config = parseConfig({ venue: { video: { source: 'v4l2', device: C920_NODE } } });
  const args = buildVideoCaptureArgs({
    video: config.venue.video,
    encoding: config.encoding,
    target: VIDEO_TARGET,
    deviceInput: ['-f', 'v4l2', '-input_format', 'mjpeg', '-video_size', '1280x720', '-framerate', '30', '-i', C920_NODE],
    previewPictures: true,
  });

  it('adds an mpjpeg output on stdout', () => {
    const output = args.slice(args.indexOf('[vpreview]') - 1);

    expect(output[0]).toBe('-map');
    expect(valueOf(output, '-f')).toBe('mpjpeg');
    expect(output[output.length - 1]).toBe('pipe:1');
  });

  it('leaves the test pattern alone', () => {
    const testPattern = parseConfig({});
    const plain = buildVideoCaptureArgs({
      video: testPattern.venue.video,
      encoding: testPattern.encoding,
      target: VIDEO_TARGET,
      previewPictures: true,
    });

    expect(plain).not.toContain('pipe:1');
  });

  it('filter graph yields pictures', () => {
    const graph = valueOf(args, '-filter_complex') ?? '';
    const result = spawnSync(
      resolveFfmpegPath(),
      [
        '-hide_banner', '-nostdin', '-loglevel', 'error',
        '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=2',
        '-filter_complex', graph,
        '-map', '[vout]', '-f', 'null', '-',
        '-map', '[vpreview]', '-c:v', 'mjpeg', '-f', 'mpjpeg', 'pipe:1',
      ],
      { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const pictures = new MultipartJpegReader().push(result.stdout);

    expect(result.stderr.toString()).toBe('');
    expect(result.status).toBe(0);
    expect(pictures.length).toBeGreaterThanOrEqual(3);
    expect(pictures[0]!.subarray(0, 2).toString('hex')).toBe('ffd8');
  });
});
