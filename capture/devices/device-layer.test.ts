import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../appliance/log.js';
import { Supervisor } from '../../appliance/process/supervisor.js';
import { DeviceClaims } from './device-claims.js';
import { DeviceDiscovery } from './device-discovery.js';
import { SystemDeviceLayer } from './device-layer.js';

const logger = createLogger('silent');

// These run the real v4l2-ctl and arecord (v4l-utils and alsa-utils, which scripts/setup.sh installs)
// on whatever devices the machine has, which in CI is usually none.
describe('SystemDeviceLayer', () => {
  const supervisor = new Supervisor(logger);
  const layer = new SystemDeviceLayer(supervisor);

  afterAll(() => supervisor.stopAll());

  it('runs arecord in the C locale', async () => {
    const result = await layer.run('arecord', ['--version']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^arecord: version \d/);
  });

  it('reports a missing node', async () => {
    const result = await layer.run('v4l2-ctl', ['--device', '/dev/video-missing', '--all']);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('/dev/video-missing');
  });

  it('lists only video nodes', async () => {
    const nodes = await layer.listVideoNodes();

    for (const node of nodes) expect(node).toMatch(/^\/dev\/video\d+$/);
  });

  it('discovers the machine with its tools', async () => {
    const result = await new DeviceDiscovery(layer, new DeviceClaims(), logger).discover({ width: 1280, height: 720, fps: 30 });

    // env exits with 127 when it cannot find the command; a busy device may report other problems.
    expect(result.problems.filter((problem) => problem.includes('exit code 127'))).toEqual([]);
  });
});
