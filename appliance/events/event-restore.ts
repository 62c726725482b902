import type { EventRecord, EventFailure } from '../store/store.js';

/**
 * How long Podium may have been down for its next start to restore the
 * event that was running. A crash or a systemd restart takes seconds and a
 * reboot a few minutes. After a longer break (the appliance switched off
 * for the night) the camera should not go on air by itself.
 */
export const RESTORE_WINDOW_MS = 10 * 60_000;

/** How often the store notes that the running event is still running, which tells the next start how long Podium was down. */
export const HEARTBEAT_INTERVAL_MS = 5_000;

/** The settings key of the time the running event was last seen running. */
export const HEARTBEAT_KEY = 'runningEventSeenAt';

/** What the next start does with an event that was running when Podium stopped. */
export type RestoreDecision =
  | { action: 'restore' }
  | { action: 'end' }
  | { action: 'fail'; failure: EventFailure };

function minutes(ms: number): string {
  return `${Math.round(ms / 60_000)} min`;
}

/**
 * Decides what happens to an event found running at start. Staff had
 * pressed Stop on a "stopping" event, so it ends. A "starting" or "live"
 * event is restored when Podium was down for less than RESTORE_WINDOW_MS,
 * measured from the last heartbeat (seenAt); otherwise it fails as
 * "interrupted" with the reason.
 */
export function decideRestore(record: EventRecord, seenAt: string | undefined, now: Date): RestoreDecision {
  if (record.state === 'stopping') return { action: 'end' };

  const seen = seenAt ? Date.parse(seenAt) : Number.NaN;

  if (Number.isNaN(seen)) {
    return {
      action: 'fail',
      failure: {
        code: 'interrupted',
        reason: 'Podium stopped while the event was running and left no record of when; start it again',
      },
    };
  }

  const downMs = now.getTime() - seen;

  if (downMs > RESTORE_WINDOW_MS) {
    return {
      action: 'fail',
      failure: {
        code: 'interrupted',
        reason:
          `Podium was down for ${minutes(downMs)} while the event was running, longer than the ` +
          `${minutes(RESTORE_WINDOW_MS)} within which it restores an event; start it again`,
      },
    };
  }

  return { action: 'restore' };
}
