import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { projectRoot } from '../../appliance/http/page-routes.js';

const doctorScript = join(projectRoot(), 'dist', 'appliance', 'doctor.js');
/** A device node only root may open, standing in for a camera the service user lacks the group for. */
const rootOnlyDevice = `/dev/podium-doctor-test-${process.pid}`;

/** Returns the checklist line of a check and the fix line below it. */
function entryOf(output: string, name: string): string {
  const lines = output.split('\n');
  const index = lines.findIndex((line) => line.includes(`] ${name}`));

  expect(index, `no checklist line for "${name}" in:\n${output}`).toBeGreaterThanOrEqual(0);

  return [lines[index], lines[index + 1]?.startsWith('       fix:') ? lines[index + 1] : ''].join('\n');
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

describe('podium doctor on a broken setup', () => {
  let dir: string;
  let dataDir: string;
  let blocker: Server;
  let output: string;
  let status: number | null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podium-doctor-'));
    dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    // A full 64 KiB file system as the data directory.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dataDir]);
    spawnSync('dd', ['if=/dev/zero', `of=${join(dataDir, 'filler')}`, 'bs=4k']);
    execFileSync('mknod', ['-m', '0600', rootOnlyDevice, 'c', '1', '3']);

    // An expired self-signed certificate.
    const key = join(dir, 'key.pem');
    const csr = join(dir, 'request.csr');
    const cert = join(dir, 'cert.pem');

    execFileSync('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=podium'], { stdio: 'ignore' });
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-signkey', key, '-out', cert, '-days', '-1'], { stdio: 'ignore' });

    blocker = createServer();

    const busyPort = await listen(blocker);
    const configPath = join(dir, 'podium.yaml');

    writeFileSync(
      configPath,
      stringify({
        dataDir,
        http: { host: '127.0.0.1', port: busyPort },
        https: { host: '127.0.0.1', port: 0, certFile: cert, keyFile: key },
        sfu: { listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', port: 0 },
        venue: { video: { source: 'v4l2', device: '/dev/video-podium-doctor-missing' } },
        ptz: { camera: 'uvc', uvc: { device: rootOnlyDevice } },
        turn: { urls: ['turn:podium-doctor-test.invalid:3478'], sharedSecret: 'a-shared-secret-for-the-doctor' },
      }),
    );

    // As root the doctor tests device access as the service user: here nobody.
    const result = spawnSync(process.execPath, [doctorScript, '--config', configPath, '--user', 'nobody'], {
      encoding: 'utf8',
      timeout: 60_000,
    });

    output = result.stdout + result.stderr;
    status = result.status;
  }, 90_000);

  afterAll(() => {
    blocker?.close();
    spawnSync('umount', [dataDir]);
    rmSync(rootOnlyDevice, { force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 1', () => {
    expect(status).toBe(1);
  });

  it('names the missing camera', () => {
    const entry = entryOf(output, 'Camera /dev/video-podium-doctor-missing');

    expect(entry).toContain('[FAIL]');
    expect(entry).toContain('not found');
    expect(entry).toContain('fix: plug the device in, or set venue.video.device');
  });

  it('names a device the service user cannot open', () => {
    const entry = entryOf(output, `PTZ camera (UVC) ${rootOnlyDevice}`);

    expect(entry).toContain('[FAIL]');
    expect(entry).toContain('not readable and writable by the user nobody');
    expect(entry).toContain('fix: add the user to group video (usermod -a -G video nobody)');
  });

  it('names the port in use', () => {
    const entry = entryOf(output, 'HTTP port 127.0.0.1:');

    expect(entry).toContain('[FAIL]');
    expect(entry).toContain('in use by another program');
    expect(entry).toContain('set http.port to a free port');
  });

  it('names the expired certificate', () => {
    const entry = entryOf(output, 'TLS certificate');

    expect(entry).toContain('[FAIL]');
    expect(entry).toContain('expired on');
    expect(entry).toContain('fix: install a renewed certificate');
  });

  it('names the full disk', () => {
    const entry = entryOf(output, `Disk space at ${dataDir}`);

    expect(entry).toContain('[FAIL]');
    expect(entry).toContain('(0%)');
    expect(entry).toContain('fix: download and delete old recordings');
  });

  it('names the unresolvable TURN server', () => {
    const entry = entryOf(output, 'TURN server podium-doctor-test.invalid');

    expect(entry).toContain('[FAIL]');
    expect(entry).toContain('does not resolve');
  });

  it('passes ffmpeg and the worker', () => {
    expect(entryOf(output, 'ffmpeg')).toContain('[ ok ]');
    expect(entryOf(output, 'SFU worker')).toContain('[ ok ]');
  });

  it('counts the failures', () => {
    expect(output).toMatch(/^6 failed, \d+ warnings\.$/m);
  });
});
