import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../appliance/log.js';
import { Supervisor } from '../../appliance/process/supervisor.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import { DeviceClaims } from './device-claims.js';
import { CameraPreview, MicrophoneMeter } from './device-preview.js';
import { FakeDeviceLayer } from './fake-device-layer.js';
import { deviceFixture } from '../../test/helpers/fake-devices.js';

const logger = createLogger('silent');
const NODE = '/dev/video10';

describe('DeviceClaims', () => {
  const supervisor = new Supervisor(logger);

  afterEach(async () => {
    await supervisor.stopAll();
  });

  it('tryClaim rejects a held device', async () => {
    const claims = new DeviceClaims();
    const capture = await claims.claim(NODE, 'capture');

    expect(claims.tryClaim(NODE, 'preview')).toBeUndefined();
    expect(claims.holderOf(NODE)).toBe('capture');
    capture.release();
    expect(claims.holderOf(NODE)).toBeUndefined();
    expect(claims.tryClaim(NODE, 'preview')).toBeDefined();
  });

  it('claim waits for the release', async () => {
    const claims = new DeviceClaims();
    const listing = claims.tryClaim(NODE, 'discovery')!;
    let claimed = false;
    const capture = claims.claim(NODE, 'capture').then((claim) => {
      claimed = true;

      return claim;
    });

    await new Promise((resolve) => setImmediate(resolve));
    expect(claimed).toBe(false);
    listing.release();
    expect((await capture).holder).toBe('capture');
  });

  it('release of an old claim keeps the new one', async () => {
    const claims = new DeviceClaims();
    const first = claims.tryClaim(NODE, 'preview')!;

    first.release();

    const second = claims.tryClaim(NODE, 'preview')!;

    first.release();
    expect(claims.holderOf(NODE)).toBe('preview');
    second.release();
  });

  it('capture start waits for a preview to exit', async () => {
    const claims = new DeviceClaims();
    const layer = new FakeDeviceLayer();

    layer.plugCamera({ node: NODE, listing: deviceFixture('v4l2-formats-logitech-c920.txt') });

    let preview: CameraPreview | undefined;
    const claim = claims.tryClaim(NODE, 'preview', () => void preview?.stop())!;

    preview = new CameraPreview({ supervisor, claim, input: layer.cameraInput(NODE, []), logger });
    await waitFor('a preview picture', () => preview!.picture, { timeoutMs: 15_000 });

    const previewProcess = supervisor.running()[0]!;

    expect(previewProcess.running).toBe(true);

    const capture = await claims.claim(NODE, 'capture');

    expect(previewProcess.running).toBe(false);
    expect(previewProcess.exitInfo?.requested).toBe(true);
    expect(preview.state).toBe('stopped');
    expect(claims.holderOf(NODE)).toBe('capture');
    capture.release();
  });

  it('preview yields a JPEG picture', async () => {
    const claims = new DeviceClaims();
    const layer = new FakeDeviceLayer();

    layer.plugCamera({ node: NODE, listing: deviceFixture('v4l2-formats-logitech-c920.txt') });

    const preview = new CameraPreview({ supervisor, claim: claims.tryClaim(NODE, 'preview')!, input: layer.cameraInput(NODE, []), logger });
    const picture = await waitFor('a preview picture', () => preview.picture, { timeoutMs: 15_000 });

    expect(picture.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(picture.subarray(-2).toString('hex')).toBe('ffd9');
    await preview.stop();
    await waitFor('the preview claim to be released', () => claims.holderOf(NODE) === undefined);
  });

  it('meter reads a fake microphone level', async () => {
    const claims = new DeviceClaims();
    const layer = new FakeDeviceLayer();

    layer.plugSoundCard({ number: 1, id: 'Mini', name: 'Mini', hwParams: deviceFixture('arecord-dump-usb-mic-s24le-mono.txt') });

    const meter = new MicrophoneMeter({
      supervisor,
      claim: claims.tryClaim('CARD=Mini,DEV=0', 'preview')!,
      input: layer.microphoneInput('plughw:CARD=Mini,DEV=0', []),
      logger,
    });
    const level = await waitFor('a meter reading', () => meter.level, { timeoutMs: 15_000 });

    expect(level.peakDb).toBeGreaterThan(-20);
    expect(level.peakDb).toBeLessThanOrEqual(0);
  });

  it('unplugged camera preview fails', async () => {
    const claims = new DeviceClaims();
    const layer = new FakeDeviceLayer();
    const preview = new CameraPreview({ supervisor, claim: claims.tryClaim(NODE, 'preview')!, input: layer.cameraInput(NODE, []), logger });

    await waitFor('the preview to fail', () => preview.state === 'failed', { timeoutMs: 15_000 });
    expect(preview.failure).toContain(NODE);
    expect(claims.holderOf(NODE)).toBeUndefined();
  });
});
