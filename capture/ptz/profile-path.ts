import { isAbsolute, join, resolve } from 'node:path';
import { projectRoot } from '../../appliance/http/page-routes.js';

/** The folders of the shipped profiles, relative to the project root. */
export const CAMERA_PROFILES_DIR = join('capture', 'ptz', 'profiles');
export const INPUT_PROFILES_DIR = join('capture', 'ptz', 'input-profiles');

/**
 * Returns the file of a profile given in the configuration: a name without
 * ".json" is a shipped profile in the folder under the project root, and
 * anything ending in ".json" is a path (relative paths start at the working
 * directory). The JSON files stay in the source tree and the build does not
 * copy them, so the project root (the folder with package.json, the same from
 * the sources and from dist/) is where shipped profiles are found.
 */
export function resolveProfilePath(nameOrPath: string, shippedDir: string): string {
  if (nameOrPath.endsWith('.json')) return isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);

  return join(projectRoot(), shippedDir, `${nameOrPath}.json`);
}
