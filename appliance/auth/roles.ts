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

/** The sources a listener on stage publishes: their microphone and, if they choose, their camera. */
export const STAGE_GUEST_SOURCES: readonly SourceLabel[] = ['listener-on-stage', 'listener-camera'];

/**
 * Returns true when the principal may publish the source. onStage: the
 * principal's connection is the listener staff brought on stage.
 */
export function canPublish(principal: Principal, source: SourceLabel, onStage = false): boolean {
  return PUBLISHABLE_SOURCES[principal.role].includes(source) || (onStage && STAGE_GUEST_SOURCES.includes(source));
}

/** Returns true when the principal may send live captions: captioners and staff. */
export function mayCaption(principal: Principal): boolean {
  return principal.role === 'captioner' || principal.role === 'staff';
}

/** The voices the program mixes: the hall microphone, the remote speaker and the listener on stage. */
export const VOICES: readonly SourceLabel[] = ['venue-mic', 'remote-speaker-mic', 'listener-on-stage'];

const PEOPLE_ON_SCREEN: readonly SourceLabel[] = ['venue-camera', 'lectern-screen', 'lectern-camera', 'remote-speaker', 'listener-camera'];

/**
 * Sources each role may receive besides what every watch page receives (the
 * program, or the venue before it). Staff receive everything (the venue
 * screen is a staff page); speakers and interpreters hear the voices one by
 * one, so that their page can play a return without their own voice.
 */
const EXTRA_CONSUMABLE: Record<Role, readonly SourceLabel[]> = {
  staff: [...VOICES, ...PEOPLE_ON_SCREEN, 'interpreter'],
  speaker: [...VOICES, ...PEOPLE_ON_SCREEN, 'interpreter'],
  interpreter: [...VOICES, ...PEOPLE_ON_SCREEN],
  captioner: [],
  participant: [],
  // Watch pages may show the sign-language interpreter large or beside the program.
  listener: ['interpreter'],
};

/**
 * Returns the sources beyond the watch sources that the principal may
 * receive. A listener on stage receives the voices, for their return.
 */
export function extraConsumable(principal: Principal, onStage: boolean): readonly SourceLabel[] {
  const extra = EXTRA_CONSUMABLE[principal.role];

  return onStage && principal.role === 'listener' ? [...extra, ...VOICES] : extra;
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
