import type { EventSnapshot } from '../signaling/protocol.js';
import { mayJoinEvent, type Principal } from './roles.js';

/**
 * Returns the part of the event snapshot a principal may see. Only staff see
 * failure reasons (they quote process output); a page that has not entered
 * the event's access code gets no HLS address.
 */
export function snapshotFor(principal: Principal, snapshot: EventSnapshot): EventSnapshot {
  const { event } = snapshot;

  if (principal.role === 'staff') return snapshot;
  if (!event) return { ...snapshot, recording: null, restreams: null, program: null };

  const accessGranted = mayJoinEvent(principal, event.id, event.hasAccessCode);

  return {
    ...snapshot,
    event: { ...event, failureCode: null, failureReason: null },
    recording: null,
    restreams: null,
    program: null,
    hlsUrl: accessGranted ? snapshot.hlsUrl : null,
    accessGranted,
  };
}
