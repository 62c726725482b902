import { timingSafeEqual } from 'node:crypto';
import { podiumError } from '../errors.js';
import type { Logger } from '../log.js';
import type { MeetingRouter } from '../sfu/meeting-router.js';
import type { MeetingRecord, MeetingStore } from '../store/meeting-store.js';
import { MAX_MEETING_NAME_LENGTH, type MeetingInfo, type PublicMeetingInfo } from './meeting-protocol.js';
import { MeetingBroadcast, type MeetingBroadcastDeps } from './meeting-broadcast.js';
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
  /** Dependencies of the meeting broadcasts (HLS and recording); without them staff can neither stream nor record meetings. */
  broadcast?: Omit<MeetingBroadcastDeps, 'logger'>;
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
  /** Broadcasts by meeting id, while staff stream or record the meeting. */
  readonly #broadcasts = new Map<string, MeetingBroadcast>();
  /** Broadcasts that are stopping, for a shutdown that waits for them. */
  readonly #stopping = new Set<Promise<void>>();
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

  /** Returns what the join page shows before joining, or throws PODIUM_ERR_MEETING_NOT_FOUND. */
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

  /** Returns the live session of a meeting, for tests, or undefined when it has none (never joined, or empty for 60 s). */
  sessionOf(meetingId: string): MeetingSession | undefined {
    return this.#sessions.get(meetingId);
  }

  /**
   * Starts or stops streaming the meeting to HLS. Starting needs an open
   * meeting with participants; the broadcast stops when it ends or empties.
   */
  async setStreaming(meetingId: string, streaming: boolean): Promise<MeetingInfo> {
    return this.#setBroadcast(meetingId, 'streaming', streaming);
  }

  /** Starts or stops recording the meeting, with the same conditions as streaming. */
  async setRecording(meetingId: string, recording: boolean): Promise<MeetingInfo> {
    return this.#setBroadcast(meetingId, 'recording', recording);
  }

  /** Returns the meeting's broadcast while staff stream or record it, for tests. */
  broadcastOf(meetingId: string): MeetingBroadcast | undefined {
    return this.#broadcasts.get(meetingId);
  }

  /** Returns whether a broadcast id belongs to a meeting that staff stream to HLS now (the HLS routes serve only those). */
  isStreaming(broadcastId: string): boolean {
    return [...this.#broadcasts.values()].some((broadcast) => broadcast.id === broadcastId && broadcast.streaming);
  }

  /** Stops every broadcast and resolves when their recordings are closed and their compositors stopped, at shutdown. */
  async stopBroadcasts(): Promise<void> {
    for (const meetingId of [...this.#broadcasts.keys()]) this.#stopBroadcast(meetingId, 'Podium stops');
    await Promise.all([...this.#stopping]);
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

  async #setBroadcast(meetingId: string, output: 'streaming' | 'recording', on: boolean): Promise<MeetingInfo> {
    const record = this.#record(meetingId);
    let broadcast = this.#broadcasts.get(meetingId);

    if (!on && !broadcast) return this.#info(record);
    if (on && !broadcast) {
      const state = meetingState(record);
      const session = this.#sessions.get(meetingId);

      if (state !== 'open') throw podiumError('PODIUM_ERR_MEETING_ENDED', meetingId, state);
      if (!session || session.participantCount === 0) throw podiumError('PODIUM_ERR_MEETING_EMPTY', meetingId);
      if (!this.#deps.broadcast) throw podiumError('PODIUM_ERR_MEDIA', 'meeting broadcasts are not set up on this server');
      broadcast = new MeetingBroadcast({ id: record.id, name: record.name }, session, { ...this.#deps.broadcast, logger: this.#logger });
      this.#broadcasts.set(meetingId, broadcast);
    }

    const current = broadcast!;
    const request = { streaming: current.streaming, recording: current.recording, [output]: on };

    this.#logger.info({ meetingId, ...request }, 'meeting broadcast outputs requested');
    try {
      await current.set(request);
    } catch (error) {
      this.#stopBroadcast(meetingId, 'its program failed to start');
      throw podiumError('PODIUM_ERR_MEDIA', `the meeting's program did not start: ${(error as Error).message}`);
    } finally {
      // Stopping an idle broadcast only detaches it from the session: its program is down already.
      if (current.idle && this.#broadcasts.get(meetingId) === current) this.#stopBroadcast(meetingId, 'staff stopped both outputs');
    }

    return this.#info(record);
  }

  #stopBroadcast(meetingId: string, reason: string): void {
    const broadcast = this.#broadcasts.get(meetingId);

    if (!broadcast) return;
    this.#broadcasts.delete(meetingId);

    const stopping = broadcast.stop(reason).catch((error: unknown) => {
      this.#logger.error({ err: error, meetingId }, 'meeting broadcast failed to stop');
    });

    this.#stopping.add(stopping);
    void stopping.finally(() => this.#stopping.delete(stopping));
  }

  #info(record: MeetingRecord): MeetingInfo {
    const query = `id=${encodeURIComponent(record.id)}`;
    const broadcast = this.#broadcasts.get(record.id);

    return {
      ...record,
      state: meetingState(record),
      participants: this.#sessions.get(record.id)?.participantCount ?? 0,
      link: `/meet?${query}`,
      moderatorLink: `/meet?${query}&moderator=${encodeURIComponent(this.#deps.moderatorKey(record.id))}`,
      streaming: broadcast?.streaming ?? false,
      recording: broadcast?.recording ?? false,
      hlsUrl: broadcast?.hlsUrl ?? null,
    };
  }

  #session(meetingId: string): MeetingSession {
    clearTimeout(this.#disposals.get(meetingId));
    this.#disposals.delete(meetingId);

    let session = this.#sessions.get(meetingId);

    if (!session) {
      const created = new MeetingSession(meetingId, this.#deps.store, () => this.#deps.createRouter(meetingId), this.#logger);

      created.on('empty', () => {
        this.#stopBroadcast(meetingId, 'the meeting emptied');
        clearTimeout(this.#disposals.get(meetingId));
        this.#disposals.set(meetingId, setTimeout(() => this.#forget(meetingId), EMPTY_GRACE_MS).unref());
      });
      this.#sessions.set(meetingId, created);
      session = created;
    }

    return session;
  }

  #forget(meetingId: string): void {
    this.#stopBroadcast(meetingId, 'the meeting ended');
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
        session.end(null, { expired: true });
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
