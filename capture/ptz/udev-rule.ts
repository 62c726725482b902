import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../appliance/http/page-routes.js';
import { loadProfile, type ProfileIdentity } from './hid-profile.js';
import { loadInputProfile } from './input-profile.js';
import { CAMERA_PROFILES_DIR, INPUT_PROFILES_DIR } from './profile-path.js';

/** The rule file in the source tree, relative to the project root. */
export const UDEV_RULE_FILE = join('systemd', '70-podium-ptz.rules');

/** Loads every shipped camera and input profile; templates (*.template.json) are left out. */
export function loadShippedProfiles(): ProfileIdentity[] {
  const filesOf = (dir: string): string[] =>
    readdirSync(join(projectRoot(), dir))
      .filter((name) => name.endsWith('.json') && !name.endsWith('.template.json'))
      .sort()
      .map((name) => join(projectRoot(), dir, name));

  return [...filesOf(CAMERA_PROFILES_DIR).map(loadProfile), ...filesOf(INPUT_PROFILES_DIR).map(loadInputProfile)];
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

/**
 * Returns the udev rule file that gives the group read and write access to
 * the hidraw nodes of these profiles' USB devices, one rule per vendor and
 * product id. The whole device is matched, because udev's hidraw nodes carry
 * no usage page, so every HID interface of it becomes accessible.
 */
export function renderUdevRule(profiles: readonly ProfileIdentity[], group = 'podium'): string {
  const lines = [
    '# Gives the Podium service access to the hidraw nodes of the PTZ cameras and',
    '# joysticks of its shipped profiles. Generated from capture/ptz/profiles/ and',
    '# capture/ptz/input-profiles/ by node dist/capture/ptz/print-udev-rule.js;',
    '# install it as /etc/udev/rules.d/70-podium-ptz.rules (systemd/INSTALL.md).',
  ];
  const seen = new Set<string>();

  for (const profile of profiles) {
    const ids = `${hex4(profile.vendorId)}:${hex4(profile.productId)}`;

    if (seen.has(ids)) continue;
    seen.add(ids);
    lines.push(
      '',
      `# ${profile.name}`,
      `SUBSYSTEM=="hidraw", ATTRS{idVendor}=="${hex4(profile.vendorId)}", ATTRS{idProduct}=="${hex4(profile.productId)}", ` +
        `GROUP="${group}", MODE="0660"`,
    );
  }

  return `${lines.join('\n')}\n`;
}
