import type { SourceLabel } from '../sfu/source-labels.js';

/**
 * The roles of Podium's users. Staff run the appliance. Speakers, interpreters
 * and captioners join one event by invite link, and meeting participants join
 * meetings. Listeners are everyone else.
 */
export const ROLES = ['staff', 'speaker', 'interpreter', 'captioner', 'participant', 'listener'] as const;

export type Role = (typeof ROLES)[number];

export { INVITE_ROLES, type InviteRole } from '../signaling/protocol.js';

/** The caller of a request or signaling connection, as Podium has verified it. */
export type Principal = {
  role: Role;
  /** The one event an invitee or code-holding listener belongs to; null for staff and public listeners. */
  eventId: string | null;
  /** The session behind the principal, or null for an anonymous listener. */
  sessionId: string | null;
  /** True for a listener session that staff admitted from the lobby of eventId. */
  lobbyAdmitted?: boolean;
};

export const ANONYMOUS_LISTENER: Principal = { role: 'listener', eventId: null, sessionId: null };

/**
 * Sources each role may publish into the room. A listener publishes only
 * once staff bring them on stage; meeting participants publish in meetings.
 */
const PUBLISHABLE_SOURCES: Record<Role, readonly SourceLabel[]> = {
  staff: ['lectern-screen', 'lectern-camera'],
  speaker: ['remote-speaker', 'remote-speaker-mic', 'lectern-screen', 'lectern-camera'],
  interpreter: ['interpreter'],
  captioner: [],
  participant: [],
  listener: [],
};

export function canPublish(principal: Principal, source: SourceLabel): boolean {
  return PUBLISHABLE_SOURCES[principal.role].includes(source);
}

/**
 * Returns true when the principal may take part in the given event. Staff
 * always may, invitees only in their own event. Listeners may watch every
 * event without an access code, and an event with one only after entering it.
 */
export function mayJoinEvent(principal: Principal, eventId: string, eventHasAccessCode: boolean): boolean {
  if (principal.role === 'staff') return true;
  if (principal.role === 'listener') return !eventHasAccessCode || principal.eventId === eventId;

  return principal.eventId === eventId;
}

/**
 * Returns true when the principal need not wait in the event's lobby: the
 * event has none, the principal is not a listener, or their session comes
 * from an admission to this event.
 */
export function passesLobby(principal: Principal, event: { id: string; hasLobby: boolean }): boolean {
  if (!event.hasLobby || principal.role !== 'listener') return true;

  return principal.lobbyAdmitted === true && principal.eventId === event.id;
}
