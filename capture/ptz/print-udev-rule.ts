import { loadShippedProfiles, renderUdevRule } from './udev-rule.js';

/**
 * Prints the udev rule for the shipped profiles, for regenerating
 * systemd/70-podium-ptz.rules after a profile was added:
 * node dist/capture/ptz/print-udev-rule.js > systemd/70-podium-ptz.rules
 */
process.stdout.write(renderUdevRule(loadShippedProfiles()));
