import type { EventSnapshot } from '../signaling/protocol.js';
import { mayJoinEvent, passesLobby, type Principal } from './roles.js';

/**
 * Returns the part of the event snapshot a principal may see. Only staff see
 * failure reasons (they quote process output); a page that has not entered
 * the event's access code, or still waits in its lobby, gets no HLS address
 * and no venue screen question. admitted: staff admitted this page's
 * connection from the lobby, which its session cookie may not show yet.
 */
export function snapshotFor(principal: Principal, snapshot: EventSnapshot, admitted = false): EventSnapshot {
  const { event } = snapshot;

  if (principal.role === 'staff') return snapshot;
  if (!event) return { ...snapshot, recording: null, restreams: null, program: null };

  const accessGranted = mayJoinEvent(principal, event.id, event.hasAccessCode);
  const waiting = !admitted && !passesLobby(principal, event);
  const watching = accessGranted && !waiting;
  let lobby: EventSnapshot['lobby'] = null;

  if (event.hasLobby && principal.role === 'listener') lobby = waiting ? 'waiting' : 'admitted';

  return {
    ...snapshot,
    event: { ...event, failureCode: null, failureReason: null },
    recording: null,
    restreams: null,
    program: null,
    roomRebuilding: undefined,
    hlsFailure: undefined,
    hlsUrl: watching ? snapshot.hlsUrl : null,
    stageQuestion: watching ? snapshot.stageQuestion : null,
    accessGranted,
    lobby,
  };
}
