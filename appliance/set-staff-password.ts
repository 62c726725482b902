import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AccessControl } from './auth/access-control.js';
import { loadConfig } from './config/load.js';
import { createLogger } from './log.js';
import { AuthStore } from './store/auth-store.js';
import { Store } from './store/store.js';

const MIN_LENGTH = 10;

/**
 * Sets the staff password from the first line of standard input, for the
 * installer and for staff who lost it: `npm run set-staff-password`
 * (reads --config FILE or PODIUM_CONFIG for the data directory). It ends all
 * staff sessions and removes the file with the first, generated password.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } } });
  const config = loadConfig(values.config ?? process.env.PODIUM_CONFIG);
  const dataDir = resolve(config.dataDir);

  if (process.stdin.isTTY) process.stderr.write(`New staff password (at least ${MIN_LENGTH} characters): `);

  const lines = createInterface({ input: process.stdin });
  const [line] = await lines[Symbol.asyncIterator]().next().then((result) => [result.value as string | undefined]);

  lines.close();

  const password = (line ?? '').trim();

  if (password.length < MIN_LENGTH) {
    process.stderr.write(`set-staff-password: the password has ${password.length} characters; use at least ${MIN_LENGTH}\n`);
    process.exit(2);
  }

  const store = new Store(resolve(dataDir, 'podium.sqlite'));
  const access = new AccessControl(new AuthStore(store.database), store, config, createLogger('warn'));

  await access.setStaffPassword(password, dataDir);
  store.close();
  process.stderr.write('set-staff-password: done; staff sessions have ended, sign in with the new password\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`set-staff-password: ${(error as Error).message}\n`);
  process.exit(1);
});
