import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../appliance/config/load.js';
import { projectRoot } from '../../appliance/http/page-routes.js';

/** Imports a module of the build in dist/, which `npm run build` makes. */
async function importBuilt<T>(path: string): Promise<T> {
  const file = join(projectRoot(), 'dist', path);

  if (!existsSync(file)) throw new Error(`${file} is missing; run npm run build first`);

  return (await import(file)) as T;
}

type DevicesModule = typeof import('../../appliance/ptz/create-ptz-devices.js');

describe('PTZ profiles in the built app', () => {
  it('loads the shipped camera profile', async () => {
    const { loadConfiguredProfile } = await importBuilt<DevicesModule>('appliance/ptz/create-ptz-devices.js');
    const { CAMERA_PROFILES_DIR } = await importBuilt<typeof import('../../capture/ptz/profile-path.js')>(
      'capture/ptz/profile-path.js',
    );
    const profile = loadConfiguredProfile('ptz.hid.profile', 'logitech-ptz-pro-2', CAMERA_PROFILES_DIR);

    expect(profile.name).toBe('Logitech PTZ Pro 2 (vendor HID interface)');
    expect(profile.source).toBe(join(projectRoot(), 'capture', 'ptz', 'profiles', 'logitech-ptz-pro-2.json'));
  });

  it('loads the shipped input profile', async () => {
    const { loadPtzInputProfile } = await importBuilt<DevicesModule>('appliance/ptz/create-ptz-devices.js');
    const profile = loadPtzInputProfile(parseConfig({ ptz: { input: { enabled: true } } }).ptz);

    expect(profile?.name).toBe('Logitech Gamepad F310 (DirectInput mode)');
  });

  it('shows a shipped profile by name in ptz-check', () => {
    const script = join(projectRoot(), 'dist', 'capture', 'ptz', 'ptz-check.js');
    const result = spawnSync(process.execPath, [script, 'show', 'logitech-ptz-pro-2'], { encoding: 'utf8', timeout: 20_000 });

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Logitech PTZ Pro 2');
  });
});
