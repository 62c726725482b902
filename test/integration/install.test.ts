import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../appliance/config/load.js';
import { projectRoot } from '../../appliance/http/page-routes.js';
import { testConfigInput } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

const installScript = join(projectRoot(), 'scripts', 'install.sh');
const units = ['podium.service', 'podium-kiosk.service', 'podium-kiosk-venue.service'];

function install(prefix: string, ...options: string[]): string {
  const result = spawnSync('bash', [installScript, '--prefix', prefix, '--no-build', ...options], { encoding: 'utf8' });

  expect(result.status, `install.sh ${options.join(' ')}: ${result.stderr}`).toBe(0);

  return result.stdout;
}

describe('scripts/install.sh into a prefix', () => {
  let prefix: string;

  beforeAll(() => {
    prefix = mkdtempSync(join(tmpdir(), 'podium-install-'));
    install(prefix);
  }, 120_000);

  afterAll(() => rmSync(prefix, { recursive: true, force: true }));

  it('puts files where documented', () => {
    const expected = [
      'opt/podium/dist/appliance/main.js',
      'opt/podium/dist/appliance/doctor.js',
      'opt/podium/dist/web-ui',
      'opt/podium/node_modules/mediasoup/worker/out/Release/mediasoup-worker',
      'opt/podium/capture/ptz/profiles',
      'opt/podium/capture/ptz/input-profiles',
      'opt/podium/scripts/kiosk.sh',
      'opt/podium/bin/podium',
      'etc/podium/podium.yaml',
      'etc/podium/podium.example.yaml',
      'etc/podium/kiosk.env',
      'etc/udev/rules.d/70-podium-ptz.rules',
      'var/lib/podium',
      ...units.map((unit) => `etc/systemd/system/${unit}`),
    ];

    for (const path of expected) expect(existsSync(join(prefix, path)), path).toBe(true);
    expect(readlinkSync(join(prefix, 'usr/local/bin/podium'))).toBe('/opt/podium/bin/podium');
  });

  it('leaves development packages out', () => {
    expect(existsSync(join(prefix, 'opt/podium/node_modules/vitest'))).toBe(false);
    expect(existsSync(join(prefix, 'opt/podium/node_modules/fastify'))).toBe(true);
  });

  it('creates a valid config for /var/lib/podium', () => {
    const config = loadConfig(join(prefix, 'etc/podium/podium.yaml'));

    expect(config.dataDir).toBe('/var/lib/podium');
    expect(lstatSync(join(prefix, 'etc/podium/podium.yaml')).mode & 0o777).toBe(0o640);
  });

  it('installs the shipped udev rule', () => {
    const installed = readFileSync(join(prefix, 'etc/udev/rules.d/70-podium-ptz.rules'), 'utf8');

    expect(installed).toBe(readFileSync(join(projectRoot(), 'systemd/70-podium-ptz.rules'), 'utf8'));
  });

  it('units pass systemd-analyze verify', () => {
    // The units name /opt/podium; systemd-analyze checks that each ExecStart
    // exists on this machine, so the copies point into the prefix instead.
    const checkDir = join(prefix, 'verify');

    mkdirSync(checkDir);
    for (const unit of units) {
      const text = readFileSync(join(prefix, 'etc/systemd/system', unit), 'utf8');

      writeFileSync(join(checkDir, unit), text.replaceAll('/opt/podium', join(prefix, 'opt/podium')));
    }

    const result = spawnSync('systemd-analyze', ['verify', ...units.map((unit) => join(checkDir, unit))], {
      encoding: 'utf8',
    });

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('installed code starts', async () => {
    const dataDir = join(prefix, 'run-data');
    const configPath = join(prefix, 'run.yaml');

    writeFileSync(configPath, stringify({ ...testConfigInput(dataDir), log: { level: 'info' } }));

    const child = spawn(process.execPath, [join(prefix, 'opt/podium/dist/appliance/main.js'), '--config', configPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';

    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor('the installed Podium to start', () => output.includes('"msg":"Podium started"'), { timeoutMs: 30_000 }).catch(
        (error: Error) => {
          throw new Error(`${error.message}; output: ${output.slice(-1500)}`);
        },
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  });

  it('reinstall keeps config and data', () => {
    const configPath = join(prefix, 'etc/podium/podium.yaml');
    const recording = join(prefix, 'var/lib/podium/recordings/2026-12-04_1930_lesung.ts');
    const staleFile = join(prefix, 'opt/podium/dist/stale.js');

    appendFileSync(configPath, '# changed on site\n');
    writeFileSync(join(prefix, 'etc/podium/kiosk.env'), 'PODIUM_VENUE_SCREEN_URL=http://127.0.0.1:8080/stage\n');
    mkdirSync(join(prefix, 'var/lib/podium/recordings'), { recursive: true });
    writeFileSync(recording, 'segment data');
    writeFileSync(staleFile, '');

    const configBefore = readFileSync(configPath, 'utf8');
    const output = install(prefix);

    expect(output).toContain('keeping');
    expect(readFileSync(configPath, 'utf8')).toBe(configBefore);
    expect(readFileSync(join(prefix, 'etc/podium/kiosk.env'), 'utf8')).toContain('/stage');
    expect(readFileSync(recording, 'utf8')).toBe('segment data');
    expect(existsSync(staleFile)).toBe(false);
    expect(existsSync(join(prefix, 'opt/podium.old'))).toBe(false);
  }, 120_000);

  it('uninstall keeps config and data', () => {
    install(prefix, '--uninstall');

    expect(existsSync(join(prefix, 'opt/podium'))).toBe(false);
    expect(existsSync(join(prefix, 'etc/systemd/system/podium.service'))).toBe(false);
    expect(existsSync(join(prefix, 'etc/udev/rules.d/70-podium-ptz.rules'))).toBe(false);
    expect(existsSync(join(prefix, 'etc/podium/podium.yaml'))).toBe(true);
    expect(existsSync(join(prefix, 'var/lib/podium/recordings/2026-12-04_1930_lesung.ts'))).toBe(true);
  });

  it('uninstall --purge removes them', () => {
    install(prefix, '--uninstall', '--purge');

    expect(existsSync(join(prefix, 'etc/podium'))).toBe(false);
    expect(existsSync(join(prefix, 'var/lib/podium'))).toBe(false);
  });
});
