import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from './config/load.js';
import type { PodiumConfig } from './config/schema.js';
import { fail, formatChecklist, ok, type CheckResult } from './doctor/check.js';
import { checkDevices, ownAccess, userAccess, type DeviceAccess } from './doctor/device-checks.js';
import { checkFfmpeg, checkSfuWorker } from './doctor/media-checks.js';
import { checkPorts, checkPublicAddress, checkResolvable, podiumHealth, type PodiumHealth } from './doctor/network-checks.js';
import { checkCertificate, checkClock, checkDisk } from './doctor/system-checks.js';
import { SELECTION_KEY, venueConfigWith } from './devices/device-setup.js';
import { createLogger } from './log.js';
import type { DeviceSelection } from './signaling/protocol.js';
import { Supervisor } from './process/supervisor.js';

/** Facts from the store: the restream target URLs (not their keys) and the chosen venue devices. */
type StoredFacts = { restreamUrls: string[]; deviceSelection: DeviceSelection | undefined };

/** Reads the store read-only; it exists after the first start of Podium. */
function readStore(config: PodiumConfig): StoredFacts {
  const path = join(resolve(config.dataDir), 'podium.sqlite');

  if (!existsSync(path)) return { restreamUrls: [], deviceSelection: undefined };

  const database = new Database(path, { readonly: true, fileMustExist: true });

  try {
    const urls = database.prepare('SELECT DISTINCT url FROM restream_targets').all() as { url: string }[];
    const selection = database.prepare('SELECT value FROM settings WHERE key = ?').get(SELECTION_KEY) as
      | { value: string }
      | undefined;

    return {
      restreamUrls: urls.map((row) => row.url),
      deviceSelection: selection ? (JSON.parse(selection.value) as DeviceSelection) : undefined,
    };
  } finally {
    database.close();
  }
}

/** Picks the user whose device access counts: the service user when the doctor runs as root and it exists, else the caller. */
async function deviceAccessFor(serviceUser: string, supervisor: Supervisor): Promise<DeviceAccess> {
  const self = userInfo().username;

  if (process.getuid?.() !== 0 || serviceUser === self) return ownAccess(self);
  try {
    await supervisor.run({ name: 'id', command: '/usr/bin/id', args: ['-u', serviceUser], quiet: true });

    return userAccess(serviceUser, supervisor);
  } catch {
    return ownAccess(self);
  }
}

/** Returns the check of the running service: not running, healthy, or failing with the parts /healthz names. */
function serviceCheck(health: PodiumHealth | undefined): CheckResult {
  if (!health) return ok('Podium service', 'not running');
  if (health.status === 'ready') return ok('Podium service', 'running (its /healthz responds)');

  return fail(
    'Podium service',
    `running, but /healthz reports failing parts: ${health.failing.join(', ') || 'unknown'}`,
    "open the console's status section for details; docs/troubleshooting.md explains each part",
  );
}

/** Runs every check of a live event's needs against one configuration. */
export async function runChecks(config: PodiumConfig, configSource: string, serviceUser = 'podium'): Promise<CheckResult[]> {
  const supervisor = new Supervisor(createLogger('silent'));
  const health = await podiumHealth(config);
  const running = health !== undefined;
  const stored = readStore(config);
  // Events open the devices chosen on the console's setup screen, where staff chose any.
  const venue = stored.deviceSelection ? venueConfigWith(config.venue, stored.deviceSelection) : config.venue;

  return [
    ok('Configuration', `${configSource} is valid`),
    serviceCheck(health),
    ...(await checkDevices({ ...config, venue }, await deviceAccessFor(serviceUser, supervisor))),
    await checkFfmpeg(supervisor),
    await checkSfuWorker(),
    ...(await checkPorts(config, running)),
    await checkCertificate(config),
    await checkDisk(config),
    await checkClock(supervisor),
    await checkPublicAddress(config, running),
    ...(await checkResolvable('Restream target', stored.restreamUrls)),
    ...(await checkResolvable('TURN server', config.turn.urls)),
  ];
}

/**
 * `podium doctor [--config FILE] [--user NAME]`: checks everything a live
 * event depends on and prints a checklist with the fix for each failure.
 * Exits 1 when a check fails, 0 otherwise. Run as root, it tests device
 * access as the service user (--user, default podium) where that user
 * exists; otherwise as the user running it.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string', short: 'c' }, user: { type: 'string', default: 'podium' } },
  });
  const configPath = values.config ?? process.env.PODIUM_CONFIG;
  const source = configPath ?? 'the built-in defaults';
  let config: PodiumConfig;

  try {
    config = loadConfig(configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stdout.write(formatChecklist([fail('Configuration', error.message, 'correct the keys named above, then run podium doctor again')]));
    process.exit(1);
  }

  process.stdout.write(`Podium doctor: ${source}\n\n`);

  const results = await runChecks(config, source, values.user);

  process.stdout.write(formatChecklist(results));
  process.exit(results.some((result) => result.status === 'fail') ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`podium doctor: ${(error as Error).message}\n`);
  process.exit(1);
});
