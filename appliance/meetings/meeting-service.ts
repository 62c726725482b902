import { timingSafeEqual } from 'node:crypto';
import { podiumError } from '../errors.js';
import type { Logger } from '../log.js';
import type { MeetingRouter } from '../sfu/meeting-router.js';
import type { MeetingRecord, MeetingStore } from '../store/meeting-store.js';
import { MAX_MEETING_NAME_LENGTH, type MeetingInfo, type PublicMeetingInfo } from './meeting-protocol.js';
import { MeetingSession } from './meeting-session.js';
import { meetingState } from './meeting-state.js';

/** An empty meeting keeps its session (lobby admissions, removals, chat) this long for pages that reconnect. */
const EMPTY_GRACE_MS = 60_000;
/** How often open meetings are checked for their expiry. */
const EXPIRY_CHECK_MS = 15_000;
/** An access code: 4 to 32 letters or digits. */
const ACCESS_CODE = /^[A-Za-z0-9]{4,32}$/;

export type NewMeeting = { name: string; accessCode?: string | null; lobby?: boolean; expiresAt?: string | null };

export type MeetingServiceDeps = {
  store: MeetingStore;
  createRouter: (meetingId: string) => Promise<MeetingRouter>;
  moderatorKey: (meetingId: string) => string;
  isModeratorKey: (meetingId: string, key: string) => boolean;
  logger: Logger;
};

/**
 * Podium's meetings: staff create, list, end and delete them, and pages join
 * one by its link. Each meeting with people in it has a MeetingSession.
 */
export class MeetingService {
  readonly #deps: MeetingServiceDeps;
  readonly #logger: Logger;
  readonly #sessions = new Map<string, MeetingSession>();
  readonly #disposals = new Map<string, NodeJS.Timeout>();
  readonly #expiryTimer: NodeJS.Timeout;

  constructor(deps: MeetingServiceDeps) {
    this.#deps = deps;
    this.#logger = deps.logger.child({ module: 'meetings' });
    this.#expiryTimer = setInterval(() => this.#endExpired(), EXPIRY_CHECK_MS).unref();
  }

  create(request: NewMeeting): MeetingInfo {
    const name = request.name.trim();
    const accessCode = request.accessCode?.trim() || null;
    const expiresAt = request.expiresAt ?? null;

    if (name.length === 0 || name.length > MAX_MEETING_NAME_LENGTH) {
      throw podiumError('PODIUM_ERR_MEETING_INVALID', 'name', JSON.stringify(request.name), `1 to ${MAX_MEETING_NAME_LENGTH} characters`);
    }
    if (accessCode !== null && !ACCESS_CODE.test(accessCode)) {
      throw podiumError('PODIUM_ERR_MEETING_INVALID', 'accessCode', JSON.stringify(accessCode), '4 to 32 letters or digits, or null for none');
    }
    if (expiresAt !== null && !(Date.parse(expiresAt) > Date.now())) {
      throw podiumError('PODIUM_ERR_MEETING_INVALID', 'expiresAt', JSON.stringify(expiresAt), 'a date and time in the future (ISO 8601), or null for none');
    }

    const record = this.#deps.store.create({ name, accessCode, lobby: request.lobby ?? false, expiresAt });

    this.#logger.info({ meetingId: record.id, lobby: record.lobby, hasAccessCode: accessCode !== null, expiresAt }, 'meeting created');

    return this.#info(record);
  }

  list(): MeetingInfo[] {
    return this.#deps.store.list().map((record) => this.#info(record));
  }

  get(meetingId: string): MeetingInfo {
    return this.#info(this.#record(meetingId));
  }

  /** What the join page shows before joining; throws PODIUM_ERR_MEETING_NOT_FOUND. */
  publicInfo(meetingId: string): PublicMeetingInfo {
    const record = this.#record(meetingId);

    return {
      id: record.id,
      name: record.name,
      hasAccessCode: record.accessCode !== null,
      lobby: record.lobby,
      state: meetingState(record),
      locked: record.locked,
    };
  }

  /**
   * Checks a join request and returns the meeting's session: the meeting
   * must be open, and guests need its access code. Staff and holders of the
   * moderator key are moderators and need no code.
   */
  sessionToJoin(meetingId: string, credentials: { staff: boolean; accessCode?: string; moderatorKey?: string }): { session: MeetingSession; moderator: boolean } {
    const record = this.#record(meetingId);
    const state = meetingState(record);

    if (state !== 'open') throw podiumError('PODIUM_ERR_MEETING_ENDED', meetingId, state);

    const moderator = credentials.staff || (credentials.moderatorKey !== undefined && this.#deps.isModeratorKey(meetingId, credentials.moderatorKey));

    if (!moderator && record.accessCode !== null && !sameCode(record.accessCode, credentials.accessCode ?? '')) {
      this.#logger.warn({ meetingId }, 'meeting join with a wrong access code');
      throw podiumError('PODIUM_ERR_MEETING_ACCESS_CODE', meetingId);
    }

    return { session: this.#session(meetingId), moderator };
  }

  /** The live session of a meeting, for tests; undefined while nobody is in it. */
  sessionOf(meetingId: string): MeetingSession | undefined {
    return this.#sessions.get(meetingId);
  }

  /** Ends the meeting for everyone in it; staff do this from the meeting list. */
  end(meetingId: string): MeetingInfo {
    const record = this.#record(meetingId);
    const session = this.#sessions.get(meetingId);

    if (session) session.end(null);
    else this.#deps.store.end(meetingId);
    this.#forget(meetingId);
    this.#logger.info({ meetingId, wasOpen: meetingState(record) === 'open' }, 'meeting ended by staff');

    return this.get(meetingId);
  }

  delete(meetingId: string): void {
    this.#record(meetingId);
    this.#sessions.get(meetingId)?.end(null);
    this.#forget(meetingId);
    this.#deps.store.delete(meetingId);
    this.#logger.info({ meetingId }, 'meeting deleted');
  }

  /** Closes every meeting's media at Podium's shutdown, before the media workers close. */
  close(): void {
    clearInterval(this.#expiryTimer);
    for (const session of this.#sessions.values()) session.close();
    for (const meetingId of [...this.#sessions.keys()]) this.#forget(meetingId);
  }

  #record(meetingId: string): MeetingRecord {
    const record = this.#deps.store.get(meetingId);

    if (!record) throw podiumError('PODIUM_ERR_MEETING_NOT_FOUND', meetingId);

    return record;
  }

  #info(record: MeetingRecord): MeetingInfo {
    const query = `id=${encodeURIComponent(record.id)}`;

    return {
      ...record,
      state: meetingState(record),
      participants: this.#sessions.get(record.id)?.participantCount ?? 0,
      link: `/meet?${query}`,
      moderatorLink: `/meet?${query}&moderator=${encodeURIComponent(this.#deps.moderatorKey(record.id))}`,
    };
  }

  #session(meetingId: string): MeetingSession {
    clearTimeout(this.#disposals.get(meetingId));
    this.#disposals.delete(meetingId);

    let session = this.#sessions.get(meetingId);

    if (!session) {
      const created = new MeetingSession(meetingId, this.#deps.store, () => this.#deps.createRouter(meetingId), this.#logger);

      created.on('empty', () => {
        clearTimeout(this.#disposals.get(meetingId));
        this.#disposals.set(meetingId, setTimeout(() => this.#forget(meetingId), EMPTY_GRACE_MS).unref());
      });
      this.#sessions.set(meetingId, created);
      session = created;
    }

    return session;
  }

  #forget(meetingId: string): void {
    clearTimeout(this.#disposals.get(meetingId));
    this.#disposals.delete(meetingId);
    this.#sessions.get(meetingId)?.close();
    this.#sessions.delete(meetingId);
  }

  #endExpired(): void {
    for (const [meetingId, session] of this.#sessions) {
      const record = this.#deps.store.get(meetingId);

      if (record && meetingState(record) === 'expired') {
        this.#logger.info({ meetingId, expiresAt: record.expiresAt }, 'meeting expired; ending it for everyone');
        session.end(null);
        this.#forget(meetingId);
      }
    }
  }
}

function sameCode(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toUpperCase());
  const b = Buffer.from(given.trim().toUpperCase());

  return a.length === b.length && timingSafeEqual(a, b);
}
