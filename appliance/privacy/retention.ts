import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';

const DAY_MS = 24 * 3600 * 1000;
const SWEEP_INTERVAL_MS = 3600 * 1000;

/**
 * Deletes the entries of a directory (recordings) last modified more than
 * the given number of days ago. Returns the names it deleted.
 */
export function deleteOlderThan(dir: string, days: number, now = Date.now()): string[] {
  const deleted: string[] = [];
  let names: string[];

  try {
    names = readdirSync(dir);
  } catch {
    return deleted;
  }
  for (const name of names) {
    const path = join(dir, name);

    if (now - statSync(path).mtimeMs > days * DAY_MS) {
      rmSync(path, { recursive: true, force: true });
      deleted.push(name);
    }
  }

  return deleted;
}

/**
 * Sweeps <dataDir>/recordings now and every hour, deleting recordings after
 * privacy.recordingRetentionDays, and passes the deleted file names to
 * onDeleted, so that the list forgets them. Returns a function that stops the sweeps.
 */
export function startRecordingRetention(
  recordingsDir: string,
  days: number,
  logger: Logger,
  onDeleted: (fileNames: string[]) => void = () => undefined,
): () => void {
  const sweep = () => {
    try {
      const deleted = deleteOlderThan(recordingsDir, days);

      if (deleted.length > 0) {
        logger.info({ deleted, days }, 'old recordings deleted');
        onDeleted(deleted);
      }
    } catch (error) {
      logger.error({ err: error, recordingsDir }, 'recording retention sweep failed');
    }
  };
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS);

  timer.unref();
  sweep();

  return () => clearInterval(timer);
}
