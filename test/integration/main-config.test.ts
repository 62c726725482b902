import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../appliance/http/page-routes.js';

const mainScript = join(projectRoot(), 'dist', 'appliance', 'main.js');

describe('podium with a bad configuration file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podium-config-'));

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function runWith(yaml: string): { status: number | null; stderr: string } {
    const path = join(dir, 'podium.yaml');

    writeFileSync(path, yaml);

    const result = spawnSync(process.execPath, [mainScript, '--config', path], {
      encoding: 'utf8',
      timeout: 20_000,
    });

    return { status: result.status, stderr: result.stderr };
  }

  it('stops with exit code 2 naming the key', () => {
    const result = runWith('sfu:\n  port: 70000\n');

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('key "sfu.port" has value 70000');
    expect(result.stderr).toContain('allowed: an integer from 0');
  });

  it('names an unknown key and the allowed ones', () => {
    const result = runWith('venue:\n  camera: /dev/video0\n');

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown key "venue.camera"');
    expect(result.stderr).toContain('allowed keys here: video, audio');
  });

  it('stops with exit code 2 for a bad PTZ profile', () => {
    const result = runWith('ptz:\n  camera: hid\n  hid:\n    profile: no-such-camera\n');

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('key "ptz.hid.profile" has value "no-such-camera"');
    expect(result.stderr).toContain('Give a shipped profile name');
  });

  it('reports a missing file with its path', () => {
    const result = spawnSync(process.execPath, [mainScript, '--config', join(dir, 'absent.yaml')], {
      encoding: 'utf8',
      timeout: 20_000,
    });

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('absent.yaml');
    expect(result.stderr).toContain('ENOENT');
  });
});
