import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../appliance/http/page-routes.js';
import { loadShippedProfiles, renderUdevRule, UDEV_RULE_FILE } from './udev-rule.js';

const REGENERATE = 'npm run build && node dist/capture/ptz/print-udev-rule.js > systemd/70-podium-ptz.rules';

function readProjectFile(path: string): string {
  return readFileSync(join(projectRoot(), path), 'utf8');
}

describe('systemd/70-podium-ptz.rules', () => {
  const rule = readProjectFile(UDEV_RULE_FILE);
  const profiles = loadShippedProfiles();

  it('is generated from the shipped profiles', () => {
    expect(rule, `the rule file is out of date; regenerate it with: ${REGENERATE}`).toBe(renderUdevRule(profiles));
  });

  it('covers every shipped profile', () => {
    expect(profiles.map((profile) => profile.name)).toEqual(
      expect.arrayContaining(['Logitech PTZ Pro 2 (vendor HID interface)', 'Logitech Gamepad F310 (DirectInput mode)']),
    );
    for (const profile of profiles) {
      const vendor = profile.vendorId.toString(16).padStart(4, '0');
      const product = profile.productId.toString(16).padStart(4, '0');

      expect(rule, profile.name).toContain(`ATTRS{idVendor}=="${vendor}", ATTRS{idProduct}=="${product}"`);
    }
  });

  it('grants the service group', () => {
    const group = /^Group=(\S+)$/m.exec(readProjectFile('systemd/podium.service'))?.[1];
    const rules = rule.split('\n').filter((line) => line.startsWith('SUBSYSTEM=='));

    expect(group).toBe('podium');
    expect(rules).toHaveLength(2);
    for (const line of rules) {
      expect(line).toMatch(/^SUBSYSTEM=="hidraw", /);
      expect(line).toContain(`GROUP="${group}", MODE="0660"`);
    }
  });

  it('lists shared ids once', () => {
    const profile = profiles[0]!;
    const text = renderUdevRule([profile, { ...profile, name: 'same ids again' }]);

    expect(text.match(/SUBSYSTEM==/g)).toHaveLength(1);
  });
});
