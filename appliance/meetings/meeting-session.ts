import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { podiumError } from '../errors.js';
import type { Logger } from '../log.js';
import { MeetingPeerMedia } from '../sfu/meeting-peer-media.js';
import type { MeetingRouter } from '../sfu/meeting-router.js';
import type { MeetingRecord, MeetingStore } from '../store/meeting-store.js';
import {
  CHAT_HISTORY,
  type ChatMessage,
  type MeetingNotification,
  type MeetingParticipant,
  type MeetingSelfState,
  type MeetingSnapshot,
  type MeetingSource,
  type PublicMeetingInfo,
} from './meeting-protocol.js';
import { meetingState } from './meeting-state.js';

/** WebSocket close code after a media worker died: the page reconnects and joins again (RFC 6455: service restart). */
export const CLOSE_SERVICE_RESTART = 1012;
/** WebSocket close code for a connection that a newer one of the same participant replaced. */
export const CLOSE_REPLACED = 4000;
/** WebSocket close code for a participant who is out: removed, denied, or the meeting ended. */
export const CLOSE_OUT = 4001;

/** One page's connection, as the session talks to it. */
export type MeetingConnection = {
  readonly peerId: string;
  notify(message: MeetingNotification): void;
  close(code: number, reason: string): void;
};

/** Guests one client address may have waiting in a lobby at once, so that no client buries the others. */
const MAX_WAITING_PER_ADDRESS = 5;

type Member = {
  connection: MeetingConnection;
  address: string | undefined;
  key: string;
  name: string;
  moderator: boolean;
  state: 'waiting' | 'joined';
  handRaised: boolean;
  /** When they joined or began to wait (ISO 8601). */
  since: string;
  media: MeetingPeerMedia | undefined;
};

export type MeetingSessionEvents = {
  /** Emitted when the meeting and its lobby have become empty. */
  empty: [];
  /** The meeting's router was created (with the first participant's media, or again after its worker died). */
  router: [MeetingRouter];
};

/** The tallies the meeting's pages show: staff record it, stream it, or both. */
export type MeetingTally = { recording: boolean; streaming: boolean };

/** address: the page's client address, which limits how many guests one client puts in the lobby. */
export type JoinRequest = { key: string; name: string; moderator: boolean; address?: string };

/**
 * One meeting while people are in it: the participants and the lobby by
 * peer id, the chat, the raised hands and the active speaker, and the
 * meeting's router, created with the first participant. Every change sends
 * each page a new snapshot.
 */
export class MeetingSession extends EventEmitter<MeetingSessionEvents> {
  readonly id: string;
  readonly #store: MeetingStore;
  readonly #createRouter: () => Promise<MeetingRouter>;
  readonly #logger: Logger;
  readonly #members = new Map<string, Member>();
  /** Participant keys that have been in the meeting: they come back past the lobby and the lock. */
  readonly #admittedKeys = new Set<string>();
  readonly #removedKeys = new Set<string>();
  readonly #chat: ChatMessage[] = [];
  #nextChatId = 1;
  #activeSpeaker: string | null = null;
  #router: Promise<MeetingRouter> | undefined;
  /** The worker of the meeting's router, once it runs. */
  #workerIndex: number | undefined;
  #ended = false;
  #tally: MeetingTally = { recording: false, streaming: false };

  constructor(id: string, store: MeetingStore, createRouter: () => Promise<MeetingRouter>, logger: Logger) {
    super();
    this.id = id;
    this.#store = store;
    this.#createRouter = createRouter;
    this.#logger = logger.child({ meetingId: id });
  }

  /** The participants in the meeting now, not counting the lobby. */
  get participantCount(): number {
    return [...this.#members.values()].filter((member) => member.state === 'joined').length;
  }

  /**
   * Lets a page in, into the meeting or its lobby, after the service checked
   * the link and the access code. A participant key seen before comes back
   * past the lobby and the lock, and replaces its older connection.
   */
  join(connection: MeetingConnection, request: JoinRequest): MeetingSelfState {
    const record = this.#record();

    if (this.#removedKeys.has(request.key)) throw podiumError('PODIUM_ERR_MEETING_REMOVED', this.id);

    const known = this.#admittedKeys.has(request.key);

    if (record.locked && !known && !request.moderator) throw podiumError('PODIUM_ERR_MEETING_LOCKED', this.id);

    for (const member of this.#members.values()) {
      if (member.key === request.key) {
        this.#drop(member);
        member.connection.close(CLOSE_REPLACED, 'the same participant connected again');
      }
    }

    const waits = record.lobby && !known && !request.moderator;

    if (waits && this.#waitingFrom(request.address) >= MAX_WAITING_PER_ADDRESS) {
      this.#logger.warn({ address: request.address }, 'lobby full for this address');
      throw podiumError('PODIUM_ERR_RATE_LIMITED', 'guests waiting in the lobby from one address', 60);
    }
    const member: Member = {
      connection,
      address: request.address,
      key: request.key,
      name: request.name.trim(),
      moderator: request.moderator,
      state: waits ? 'waiting' : 'joined',
      handRaised: false,
      since: new Date().toISOString(),
      media: undefined,
    };

    this.#members.set(connection.peerId, member);
    if (!waits) this.#admittedKeys.add(request.key);
    this.#logger.info({ peerId: connection.peerId, moderator: request.moderator, state: member.state }, 'meeting joined');
    this.#broadcast();

    return member.state;
  }

  /** Returns the chat so far, for a page that just joined. */
  chatHistory(): ChatMessage[] {
    return [...this.#chat];
  }

  snapshotFor(peerId: string): MeetingSnapshot {
    const member = this.#members.get(peerId);
    const state: MeetingSelfState = this.#ended ? 'ended' : (member?.state ?? 'removed');
    const joined = member?.state === 'joined';

    return {
      meeting: this.publicInfo(),
      self: { peerId, state, moderator: member?.moderator ?? false },
      participants: joined ? this.#participants() : [],
      lobby: joined && member.moderator
        ? [...this.#members].filter(([, other]) => other.state === 'waiting').map(([id, other]) => ({ peerId: id, name: other.name, since: other.since }))
        : [],
      activeSpeaker: joined ? this.#activeSpeaker : null,
      ...this.#tally,
    };
  }

  /** The participant heard loudest now, or null. */
  get activeSpeaker(): string | null {
    return this.#activeSpeaker;
  }

  get tally(): MeetingTally {
    return { ...this.#tally };
  }

  /** Sets the tallies and sends every page, the lobby's too, a new snapshot when they changed. */
  setTally(tally: MeetingTally): void {
    if (tally.recording === this.#tally.recording && tally.streaming === this.#tally.streaming) return;
    this.#tally = { ...tally };
    this.#logger.info(tally, 'meeting tally changed');
    this.#broadcast();
  }

  /** Returns the meeting's router while it has one (created with the first participant's media), else undefined. */
  currentRouter(): Promise<MeetingRouter> | undefined {
    return this.#router;
  }

  publicInfo(): PublicMeetingInfo {
    const record = this.#record();

    return {
      id: record.id,
      name: record.name,
      hasAccessCode: record.accessCode !== null,
      lobby: record.lobby,
      state: this.#ended && meetingState(record) !== 'expired' ? 'ended' : meetingState(record),
      locked: record.locked,
    };
  }

  /** Returns the joined member of a connection, or throws PODIUM_ERR_MEETING_NOT_JOINED. */
  requireJoined(peerId: string, type: string): { moderator: boolean } {
    const member = this.#members.get(peerId);

    if (member?.state !== 'joined') throw podiumError('PODIUM_ERR_MEETING_NOT_JOINED', type, member ? 'waiting in the lobby' : 'not in the meeting');

    return member;
  }

  /** Returns the participant's media in the meeting's router, creating both when needed. */
  async media(peerId: string): Promise<MeetingPeerMedia> {
    const member = this.#joinedMember(peerId, 'media');

    if (member.media) return member.media;

    const router = await this.#ensureRouter();

    if (member.media) return member.media;
    if (this.#members.get(peerId) !== member) throw podiumError('PODIUM_ERR_MEETING_NOT_JOINED', 'media', 'gone');

    member.media = new MeetingPeerMedia(peerId, router, this.#logger.child({ peerId }), {
      consumerclose: (consumerId) => member.connection.notify({ type: 'consumerClosed', data: { consumerId } }),
      layerschange: (consumerId, spatialLayer) => member.connection.notify({ type: 'consumerLayers', data: { consumerId, spatialLayer } }),
    });

    return member.media;
  }

  /** Returns the RTP capabilities of the meeting's router, which a page loads its device with. */
  async routerCapabilities(): Promise<types.RtpCapabilities> {
    return (await this.#ensureRouter()).rtpCapabilities;
  }

  /** The index of the media worker that runs the meeting's router, or undefined while it has none. */
  get workerIndex(): number | undefined {
    return this.#router ? this.#workerIndex : undefined;
  }

  /** Returns a participant's media, for tests that constrain a receiver, or undefined before the first transport. */
  mediaOf(peerId: string): MeetingPeerMedia | undefined {
    return this.#members.get(peerId)?.media;
  }

  /** Returns the peer id of the participant with that name, for tests. */
  peerIdOf(name: string): string | undefined {
    return [...this.#members].find(([, member]) => member.name === name)?.[0];
  }

  /** Sends everyone the new list of tracks after a publish, pause or end. */
  tracksChanged(): void {
    this.#broadcast();
  }

  chat(peerId: string, text: string): ChatMessage {
    const member = this.#joinedMember(peerId, 'chat');
    const message: ChatMessage = { id: this.#nextChatId++, peerId, name: member.name, text: text.trim(), at: new Date().toISOString() };

    this.#chat.push(message);
    if (this.#chat.length > CHAT_HISTORY) this.#chat.shift();
    // The text stays out of the log: it is the participants' conversation.
    this.#logger.info({ peerId, chatId: message.id, length: message.text.length }, 'chat message');
    for (const other of this.#joined()) other.connection.notify({ type: 'chat', data: message });

    return message;
  }

  setHand(peerId: string, raised: boolean): void {
    this.#joinedMember(peerId, 'setHand').handRaised = raised;
    this.#logger.info({ peerId, raised }, 'hand changed');
    this.#broadcast();
  }

  async muteParticipant(moderatorId: string, peerId: string): Promise<void> {
    this.#requireModerator(moderatorId, 'mute others');

    const target = this.#joinedTarget(peerId);

    await target.media?.setPaused('microphone', true);
    target.connection.notify({ type: 'mutedByModerator', data: { source: 'microphone' } });
    this.#logger.info({ moderatorId, peerId }, 'participant muted by a moderator');
    this.#broadcast();
  }

  removeParticipant(moderatorId: string, peerId: string): void {
    this.#requireModerator(moderatorId, 'remove participants');
    if (peerId === moderatorId) throw podiumError('PODIUM_ERR_MEETING_PEER_NOT_FOUND', peerId);

    const target = this.#joinedTarget(peerId);

    this.#removedKeys.add(target.key);
    this.#admittedKeys.delete(target.key);
    this.#logger.info({ moderatorId, peerId }, 'participant removed');
    this.#sendOff(target, 'removed');
  }

  setLocked(moderatorId: string, locked: boolean): void {
    this.#requireModerator(moderatorId, 'lock the meeting');
    this.#store.setLocked(this.id, locked);
    this.#logger.info({ moderatorId, locked }, locked ? 'meeting locked' : 'meeting unlocked');
    this.#broadcast();
  }

  admit(moderatorId: string, peerId: string): void {
    this.#requireModerator(moderatorId, 'admit guests');

    const guest = this.#waiting(peerId);

    guest.state = 'joined';
    guest.since = new Date().toISOString();
    this.#admittedKeys.add(guest.key);
    this.#logger.info({ moderatorId, peerId }, 'guest admitted');
    this.#broadcast();
    guest.connection.notify({ type: 'chatHistory', data: { messages: this.chatHistory() } });
  }

  deny(moderatorId: string, peerId: string): void {
    this.#requireModerator(moderatorId, 'deny guests');

    const guest = this.#waiting(peerId);

    this.#logger.info({ moderatorId, peerId }, 'guest denied');
    this.#sendOff(guest, 'denied');
  }

  /** Ends the meeting for all: a moderator's request, or staff, or its expiry (moderatorId null). */
  end(moderatorId: string | null, { expired = false } = {}): void {
    if (moderatorId !== null) this.#requireModerator(moderatorId, 'end the meeting');
    // An expired meeting keeps its state "expired", so that its page can show that the link expired.
    if (!expired) this.#store.end(this.id);
    this.#ended = true;
    this.#logger.info({ moderatorId }, 'meeting ended');
    for (const member of [...this.#members.values()]) this.#sendOff(member, 'ended');
    this.#closeRouter();
  }

  /** Removes a participant whose connection closed or whose page left, from the meeting or its lobby. */
  leave(peerId: string): void {
    const member = this.#members.get(peerId);

    if (!member) return;
    this.#drop(member);
    this.#logger.info({ peerId }, 'meeting left');
    this.#broadcast();
  }

  /** Closes everything without notice, at Podium's shutdown. */
  close(): void {
    for (const member of this.#members.values()) member.media?.close();
    this.#members.clear();
    this.#closeRouter();
  }

  #record(): MeetingRecord {
    const record = this.#store.get(this.id);

    if (!record) throw podiumError('PODIUM_ERR_MEETING_NOT_FOUND', this.id);

    return record;
  }

  #participants(): MeetingParticipant[] {
    return this.#joined().map((member) => ({
      peerId: member.connection.peerId,
      name: member.name,
      moderator: member.moderator,
      handRaised: member.handRaised,
      joinedAt: member.since,
      producers: (member.media?.producers() ?? []).map(({ source, producer }) => ({
        producerId: producer.id,
        source: source as MeetingSource,
        kind: producer.kind,
        paused: producer.paused,
      })),
    }));
  }

  #waitingFrom(address: string | undefined): number {
    return [...this.#members.values()].filter((member) => member.state === 'waiting' && member.address === address).length;
  }

  #joined(): Member[] {
    return [...this.#members.values()].filter((member) => member.state === 'joined');
  }

  #joinedMember(peerId: string, type: string): Member {
    this.requireJoined(peerId, type);

    return this.#members.get(peerId)!;
  }

  #joinedTarget(peerId: string): Member {
    const target = this.#members.get(peerId);

    if (target?.state !== 'joined') throw podiumError('PODIUM_ERR_MEETING_PEER_NOT_FOUND', peerId);

    return target;
  }

  #waiting(peerId: string): Member {
    const guest = this.#members.get(peerId);

    if (guest?.state !== 'waiting') throw podiumError('PODIUM_ERR_MEETING_PEER_NOT_FOUND', peerId);

    return guest;
  }

  #requireModerator(peerId: string, action: string): void {
    if (!this.requireJoined(peerId, action).moderator) throw podiumError('PODIUM_ERR_MEETING_NOT_MODERATOR', action);
  }

  /** Tells a member they are out (removed, denied, ended), then closes their connection. */
  #sendOff(member: Member, state: 'removed' | 'denied' | 'ended'): void {
    const peerId = member.connection.peerId;
    const snapshot = this.snapshotFor(peerId);

    this.#drop(member);
    member.connection.notify({ type: 'meeting', data: { ...snapshot, self: { ...snapshot.self, state }, participants: [], lobby: [] } });
    // After the current request's response, which a moderator ending the meeting still gets.
    setImmediate(() => member.connection.close(CLOSE_OUT, `meeting ${state}`));
    this.#broadcast();
  }

  #drop(member: Member): void {
    const peerId = member.connection.peerId;

    if (this.#members.get(peerId) !== member) return;
    this.#members.delete(peerId);
    member.media?.close();
    if (this.#activeSpeaker === peerId) this.#activeSpeaker = null;
    if (this.#members.size === 0) {
      this.#closeRouter();
      this.emit('empty');
    }
  }

  #broadcast(): void {
    for (const [peerId, member] of this.#members) member.connection.notify({ type: 'meeting', data: this.snapshotFor(peerId) });
  }

  #ensureRouter(): Promise<MeetingRouter> {
    this.#router ??= this.#createRouter().then(
      (router) => {
        this.#workerIndex = router.workerIndex;
        router.on('activespeaker', (peerId) => this.#onActiveSpeaker(peerId));
        router.on('tracks', () => this.#broadcast());
        router.once('close', () => this.#onRouterClosed(router));
        this.emit('router', router);

        return router;
      },
      (error: unknown) => {
        this.#router = undefined;
        this.#logger.error({ err: error }, 'meeting router cannot start');
        throw podiumError('PODIUM_ERR_MEDIA', `the meeting's media router did not start: ${(error as Error).message}`);
      },
    );

    return this.#router;
  }

  #onActiveSpeaker(peerId: string): void {
    if (this.#activeSpeaker === peerId || this.#members.get(peerId)?.state !== 'joined') return;
    this.#activeSpeaker = peerId;
    this.#logger.debug({ peerId }, 'active speaker changed');
    for (const member of this.#joined()) member.connection.notify({ type: 'activeSpeaker', data: { peerId } });
  }

  /**
   * The router closed. When its worker died, every page reconnects and joins
   * again (close code 1012) and publishes into a new router.
   */
  #onRouterClosed(router: MeetingRouter): void {
    void this.#router?.then((current) => {
      if (current !== router) return;
      this.#router = undefined;
      if (this.#members.size === 0 || this.#ended) return;
      this.#logger.warn({ participants: this.#members.size }, 'meeting router closed with its worker; pages reconnect');
      for (const member of [...this.#members.values()]) {
        member.media = undefined;
        member.connection.close(CLOSE_SERVICE_RESTART, 'the media server restarted; join again');
      }
    });
  }

  #closeRouter(): void {
    const router = this.#router;

    this.#router = undefined;
    void router?.then((created) => created.close(), () => undefined);
  }
}
