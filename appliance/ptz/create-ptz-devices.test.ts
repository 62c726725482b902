import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSerialPort } from '../../capture/ptz/visca-serial-transport.js';
import { startPtyPair } from '../../test/helpers/pty-pair.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import { parseConfig } from '../config/load.js';
import { projectRoot } from '../http/page-routes.js';
import { createLogger } from '../log.js';
import { Supervisor } from '../process/supervisor.js';
import { createCameraLink } from './create-ptz-devices.js';

const logger = createLogger('silent');

describe('createCameraLink for a UVC camera', () => {
  const binDir = mkdtempSync(join(tmpdir(), 'podium-fake-v4l2-'));
  const callsFile = join(binDir, 'calls.txt');
  const originalPath = process.env.PATH;

  beforeAll(() => {
    // A v4l2-ctl on PATH that prints the recorded C920 listing and logs its arguments.
    const listing = join(projectRoot(), 'test', 'fixtures', 'devices', 'v4l2-formats-logitech-c920.txt');

    writeFileSync(
      join(binDir, 'v4l2-ctl'),
      `#!/bin/sh\necho "$*" >> '${callsFile}'\ncase "$*" in\n  *--list-ctrls*) cat '${listing}' ;;\n` +
        `  *--get-ctrl*) printf 'pan_absolute: 3600\\ntilt_absolute: -7200\\nzoom_absolute: 150\\n' ;;\nesac\n`,
    );
    chmodSync(join(binDir, 'v4l2-ctl'), 0o755);
    process.env.PATH = `${binDir}:${originalPath}`;
  });

  afterAll(() => {
    process.env.PATH = originalPath;
    rmSync(binDir, { recursive: true, force: true });
  });

  it('reads controls through the supervisor', async () => {
    const config = parseConfig({ ptz: { camera: 'uvc', uvc: { device: '/dev/video7' } } });
    const link = createCameraLink(config.ptz, new Supervisor(logger), logger)!;

    link.start();
    try {
      const driver = await waitFor('the UVC camera to open', () => link.driver);

      expect(driver.capabilities.commands).toEqual(['home', 'presetRecall', 'presetSave']);

      await driver.savePreset(1);
      await driver.recallPreset(1);

      expect(readFileSync(callsFile, 'utf8').trim().split('\n')).toEqual([
        '-d /dev/video7 --list-ctrls',
        '-d /dev/video7 --get-ctrl=pan_absolute,tilt_absolute,zoom_absolute',
        '-d /dev/video7 --set-ctrl=pan_absolute=3600,tilt_absolute=-7200,zoom_absolute=150',
      ]);
    } finally {
      link.close();
    }
  });
});

describe('createCameraLink for a serial VISCA camera', () => {
  let socat: ChildProcess;
  let paths: [string, string];

  beforeAll(async () => {
    ({ socat, paths } = await startPtyPair());
  });

  afterAll(() => {
    socat?.kill();
  });

  it('sets the line with stty and sends packets', async () => {
    const supervisor = new Supervisor(logger);
    const config = parseConfig({
      ptz: { camera: 'visca-serial', viscaSerial: { device: paths[0], baud: 19200, address: 3 } },
    });
    const link = createCameraLink(config.ptz, supervisor, logger)!;
    const cameraEnd = await openSerialPort(paths[1]);
    const received: number[] = [];

    cameraEnd.on('data', (chunk: Buffer) => received.push(...chunk));
    link.start();
    try {
      const driver = await waitFor('the serial camera to open', () => link.driver);
      const line = await supervisor.run({ name: 'stty', command: 'stty', args: ['-F', paths[0]] });

      await driver.home();
      await waitFor('the home packet', () => received.length >= 5);

      expect(line.stdout).toContain('speed 19200 baud');
      expect(received).toEqual([0x83, 0x01, 0x06, 0x04, 0xff]);
    } finally {
      link.close();
      cameraEnd.destroy();
    }
  });
});
