import { randomUUID } from 'node:crypto';
import type { types } from 'mediasoup';
import type { WebSocket } from 'ws';
import { RateLimiter } from '../auth/rate-limiter.js';
import { canPublish, extraConsumable, mayCaption, mayJoinEvent, passesLobby, STAGE_GUEST_SOURCES, type Principal } from '../auth/roles.js';
import { snapshotFor } from '../auth/snapshot-view.js';
import { podiumError, PodiumError, toErrorBody } from '../errors.js';
import type { CaptionBoard } from '../captions/caption-board.js';
import type { EventController } from '../events/event-controller.js';
import type { Lobby } from '../lobby/lobby.js';
import type { Logger } from '../log.js';
import type { HandQueue } from '../questions/hand-queue.js';
import type { QuestionBoard } from '../questions/question-board.js';
import type { Room } from '../sfu/room.js';
import type { StageFloor } from '../stage/stage-floor.js';
import type { RoomViewer } from '../sfu/room-viewer.js';
import { SOURCE_KINDS, SOURCE_LABELS, type SourceLabel } from '../sfu/source-labels.js';
import { sourcesToRenew, watchSources } from '../sfu/watch-sources.js';
import type {
  Caption,
  EventInfo,
  EventSnapshot,
  IceServer,
  Notification,
  PageKind,
  Request,
  StageInvitation,
  RequestData,
  Response,
} from './protocol.js';
import { CLOSE_POLICY_VIOLATION, MAX_BUFFERED_BYTES, MAX_REJECTED_MESSAGES, MESSAGES_PER_SECOND } from './connection-limits.js';
import { parseRequest } from './validate.js';

/** Questions one connection may send per minute. */
const QUESTIONS_PER_MINUTE = 3;

export type PeerHooks = {
  /** Called once, when the page has joined with its page kind. */
  onJoin: () => void;
  /** Returns false once the principal's session has ended (logout, revoked invite). */
  isSessionAlive: () => boolean;
  /** Called once, when the connection has closed. */
  onClose: () => void;
  /** Returns the ICE servers, with fresh credentials, for a new transport. */
  iceServers: () => IceServer[];
};

/** The audience's shared state that peers act on: questions, raised hands, lobbies, the listener on stage and captions. */
export type Audience = { questions: QuestionBoard; hands: HandQueue; lobby: Lobby; floor: StageFloor; captions: CaptionBoard };

/**
 * One page's signaling connection, acting for one principal (staff,
 * invitee or listener). Every request is validated, rate-limited and checked
 * against the principal's role before it touches the room.
 */
export class SignalingPeer {
  readonly id = randomUUID();
  readonly principal: Principal;
  readonly #socket: WebSocket;
  readonly #controller: EventController;
  readonly #logger: Logger;
  readonly #hooks: PeerHooks;
  readonly #audience: Audience;
  readonly #rate = new RateLimiter(MESSAGES_PER_SECOND, 1000);
  readonly #questionRate = new RateLimiter(QUESTIONS_PER_MINUTE, 60_000);
  /** Messages rejected before any handler ran (invalid or over the rate limit). */
  #rejected = 0;
  /** Requests whose handler failed. */
  #failed = 0;
  #page: PageKind | undefined;
  #name: string | undefined;
  #listenerKey: string;
  #viewer: RoomViewer | undefined;
  /** Sources the page asked for by name, such as a speaker's return; a new producer of one is announced. */
  readonly #followed = new Set<SourceLabel>();
  /** The event and permission of the last question list sent, so that snapshots resend it only on a change. */
  #questionsSentFor: string | undefined;
  #closed = false;

  constructor(
    socket: WebSocket,
    principal: Principal,
    controller: EventController,
    logger: Logger,
    hooks: PeerHooks,
    audience: Audience,
  ) {
    this.#socket = socket;
    this.#audience = audience;
    this.#listenerKey = this.id;
    this.principal = principal;
    this.#controller = controller;
    this.#logger = logger.child({ peerId: this.id, role: principal.role });
    this.#hooks = hooks;
    socket.on('message', (raw, isBinary) => void this.#onMessage(isBinary ? '\u0000binary' : raw.toString()));
    socket.on('close', () => this.close());
    socket.on('error', (error) => this.#logger.warn({ err: error }, 'socket error'));
    this.#logger.info('peer connected');
  }

  get page(): PageKind | undefined {
    return this.#page;
  }

  notify(message: Notification): void {
    this.#send(message);
  }

  /**
   * Sends the event snapshot as this peer may see it, and keeps its place in
   * the event's lobby. snapshot: the controller's, when the caller has it.
   */
  notifySnapshot(snapshot: EventSnapshot = this.#controller.snapshot()): void {
    this.notify({ type: 'eventState', data: this.#snapshot(snapshot) });
    this.#followEvent(snapshot.event);
  }

  /** Sends a watch page the current event's questions as its listener may see them. */
  notifyQuestions(event: EventInfo | null = this.#controller.snapshot().event): void {
    this.#questionsSentFor = this.#questionsKey(event);
    if (this.#page !== 'watch' || !event || !this.#mayWatch(event)) return;
    this.notify({ type: 'questions', data: { questions: this.#audience.questions.listFor(event.id, this.#listenerKey) } });
  }

  /** Sends a new caption to a console, and to a watch page that may watch its event. */
  notifyCaption(caption: Caption): void {
    const event = this.#controller.snapshot().event;
    const watching = this.#page === 'watch' && event?.id === caption.eventId && this.#mayWatch(event);

    if (watching || (this.#page === 'console' && this.principal.role === 'staff')) this.notify({ type: 'caption', data: caption });
  }

  /** Tells a page that receives the room that a source has a new producer. */
  notifyProducerReplaced(source: SourceLabel): void {
    const room = this.#controller.room;

    if (!this.#viewer || this.#viewer.closed || !room) return;

    const renewed = new Set(sourcesToRenew(room, this.#programLive(), source));

    if (this.#followed.has(source) && !this.#viewer.producedSources().includes(source)) renewed.add(source);
    for (const renew of renewed) this.notify({ type: 'producerReplaced', data: { source: renew } });
  }

  /**
   * Tells the page its place on the floor, and ends or mutes what it
   * publishes as the stage guest to match: a guest who left or was removed
   * publishes nothing more, a muted one is paused in the room.
   */
  async applyStage(invitation: StageInvitation): Promise<void> {
    this.notify({ type: 'stage', data: invitation });

    const viewer = this.#viewer;

    if (!viewer || viewer.closed) return;
    if (invitation.state !== 'on-stage') {
      for (const source of STAGE_GUEST_SOURCES) {
        if (viewer.stopProducing(source)) this.#logger.info({ source }, 'stage guest stopped publishing');
      }
      this.#stopUnallowedConsumers(viewer);

      return;
    }
    await viewer.setProducerPaused('listener-on-stage', invitation.muted).catch((error: unknown) => {
      this.#logger.error({ err: error, muted: invitation.muted }, 'muting the stage guest failed');
    });
  }

  /** Ends the consumers of sources this peer may no longer receive, such as the return of a guest who left the stage. */
  #stopUnallowedConsumers(viewer: RoomViewer): void {
    const room = this.#controller.room;
    const allowed = new Set([...(room ? watchSources(room, this.#programLive()) : []), ...extraConsumable(this.principal, this.#onStage)]);

    for (const source of new Set(viewer.consumedSources())) {
      if (allowed.has(source)) continue;
      viewer.stopConsuming(source);
      this.#followed.delete(source);
      this.#logger.info({ source }, 'consumer ended: the page may no longer receive its source');
    }
  }

  /** Closes the WebRTC transports, for example when the room has gone. */
  dropViewer(): void {
    const viewer = this.#viewer;

    if (!viewer) return;
    this.#viewer = undefined;
    viewer.close();
    this.notify({ type: 'consumersClosed', data: {} });
  }

  /**
   * Closes the connection, its transports and so every producer it published.
   * With a close code the peer gets a close frame with the reason; without
   * one the socket is destroyed at once.
   */
  close(code?: number, reason?: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#replaceViewer(undefined);
    this.#audience.hands.lower(this.id);
    this.#audience.lobby.leave(this.id);
    this.#audience.floor.leave(this.id);
    if (code === undefined) this.#socket.terminate();
    else this.#socket.close(code, reason);
    this.#logger.info({ page: this.#page, code }, 'peer disconnected');
    this.#hooks.onClose();
  }

  async #onMessage(raw: string): Promise<void> {
    if (this.#closed) return;
    if (!this.#hooks.isSessionAlive()) {
      this.#logger.info('session ended, closing the connection');
      this.close();

      return;
    }

    const parsed = parseRequest(raw);

    if (this.#rate.retryAfterMs(this.id) > 0) {
      this.#reject(parsed.ok ? parsed.request.id : parsed.id, podiumError('PODIUM_ERR_RATE_LIMITED', 'signaling messages', 1));

      return;
    }
    this.#rate.record(this.id);
    if (!parsed.ok) {
      this.#reject(parsed.id, parsed.error);

      return;
    }

    const { request } = parsed;

    try {
      const data = await this.#handle(request);

      this.#respond({ id: request.id, ok: true, data });
    } catch (error) {
      const { status, body } = toErrorBody(error);

      this.#failed++;
      // A page that keeps sending failing requests gets its first few and then every 50th logged.
      if (this.#failed <= 10 || this.#failed % 50 === 0) {
        const fields = { type: request.type, code: body.code, failed: this.#failed };

        if (status >= 500) this.#logger.error({ ...fields, err: error }, 'signaling request failed');
        else this.#logger.warn({ ...fields, detail: body.message }, 'signaling request rejected');
      }
      this.#respond({ id: request.id, ok: false, error: body });
    }
  }

  /** Sends the error of a message that failed before any handler ran, and closes a flooding connection. */
  #reject(id: number | undefined, error: PodiumError): void {
    const body = { code: error.code, message: error.message };

    this.#rejected++;
    if (this.#rejected === 1 || this.#rejected % 50 === 0) {
      this.#logger.warn({ code: error.code, detail: error.message, rejected: this.#rejected }, 'rejected signaling message');
    }
    if (this.#rejected > MAX_REJECTED_MESSAGES) {
      this.#logger.warn({ rejected: this.#rejected }, 'peer floods with bad messages, closing it');
      this.close(CLOSE_POLICY_VIOLATION, 'too many invalid or rate-limited messages');

      return;
    }
    if (id === undefined) this.notify({ type: 'error', error: body });
    else this.#respond({ id, ok: false, error: body });
  }

  #respond(response: Response): void {
    this.#send(response);
  }

  /**
   * Sends one message, unless the socket already buffers more than
   * MAX_BUFFERED_BYTES: a page that stopped reading is dropped, so that its
   * unsent messages cannot grow without bound.
   */
  #send(message: Response | Notification): void {
    if (this.#closed || this.#socket.readyState !== this.#socket.OPEN) return;
    if (this.#socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#logger.warn({ buffered: this.#socket.bufferedAmount }, 'peer stopped reading, closing it');
      // The socket's close event closes the peer later, outside the broadcast that may be running now.
      this.#socket.terminate();

      return;
    }
    this.#socket.send(JSON.stringify(message));
  }

  async #handle(request: Request): Promise<unknown> {
    switch (request.type) {
      case 'join':
        return this.#join(request.data as RequestData['join']);
      case 'getRouterRtpCapabilities':
        return { rtpCapabilities: this.#requireRoom().rtpCapabilities };
      case 'createRecvTransport':
        return this.#createViewer();
      case 'connectTransport':
        await this.#requireViewer()
          .connect((request.data as RequestData['connectTransport']).dtlsParameters as types.DtlsParameters)
          .catch(rejectAsMediaError);

        return {};
      case 'consume':
        return this.#consume(request.data as RequestData['consume']);
      case 'resumeConsumer': {
        const { consumerId } = request.data as RequestData['resumeConsumer'];

        if (!(await this.#requireViewer().resume(consumerId))) {
          throw podiumError('PODIUM_ERR_CONSUMER_NOT_FOUND', consumerId);
        }

        return {};
      }
      case 'createSendTransport':
        this.#requirePublisher();

        return this.#withIceServers(await this.#requireViewer().createSendTransport());
      case 'connectSendTransport':
        this.#requirePublisher();
        await this.#requireViewer()
          .connectSendTransport((request.data as RequestData['connectSendTransport']).dtlsParameters as types.DtlsParameters)
          .catch(rejectAsMediaError);

        return {};
      case 'produce':
        return this.#produce(request.data as RequestData['produce']);
      case 'stopProducing':
        return this.#stopProducing(request.data as RequestData['stopProducing']);
      case 'askQuestion':
        return this.#askQuestion(request.data as RequestData['askQuestion']);
      case 'voteQuestion': {
        const event = this.#requireAudience();
        const { questionId } = request.data as RequestData['voteQuestion'];
        const question = this.#audience.questions.vote(event.id, questionId, this.#listenerKey);

        return { questionId, votes: question.votes };
      }
      case 'setHand':
        return this.#setHand((request.data as RequestData['setHand']).raised);
      case 'answerStageInvite':
        return this.#answerStageInvite((request.data as RequestData['answerStageInvite']).accept);
      case 'sendCaption':
        return this.#sendCaption((request.data as RequestData['sendCaption']).text);
      case 'leaveStage':
        return { left: this.#audience.floor.leave(this.id) };
      case 'stopConsuming': {
        const { source } = request.data as RequestData['stopConsuming'];
        const label = SOURCE_LABELS.find((known) => known === source);

        if (label) this.#followed.delete(label);

        return { stopped: label ? this.#requireViewer().stopConsuming(label) : 0 };
      }
    }
  }

  #join({ page, name, listenerKey }: RequestData['join']): unknown {
    if (page !== 'watch' && this.principal.role !== 'staff') {
      throw podiumError('PODIUM_ERR_FORBIDDEN', this.principal.role, page === 'console' ? 'open the console' : 'open the venue screen');
    }

    const first = this.#page === undefined;

    this.#page = page;
    // A display name is optional and lives only as long as the connection.
    this.#name = name?.trim() || undefined;
    // NOTE: the page chooses its key, so one vote per listener holds per browser tab only;
    // a new tab (or a client that makes up keys) votes again.
    if (listenerKey && listenerKey !== this.#listenerKey) {
      this.#listenerKey = listenerKey;
      this.#questionsSentFor = undefined;
    }
    this.#logger.info({ page, named: this.#name !== undefined }, 'peer joined');
    if (first) this.#hooks.onJoin();

    const snapshot = this.#controller.snapshot();

    this.#followEvent(snapshot.event);

    return { peerId: this.id, role: this.principal.role, snapshot: this.#snapshot(snapshot) };
  }

  #snapshot(snapshot: EventSnapshot): EventSnapshot {
    const { event } = snapshot;
    const admitted = event !== null && this.#audience.lobby.isAdmitted(event.id, this.#listenerKey);

    return snapshotFor(this.principal, snapshot, admitted);
  }

  /** Keeps the page's place in the event's lobby, and sends its questions when the event or its permission changed. */
  #followEvent(event: EventInfo | null): void {
    this.#syncLobby(event);
    if (this.#questionsSentFor !== this.#questionsKey(event)) this.notifyQuestions(event);
  }

  /** True when this peer may watch the event and take part: access code entered and, with a lobby, admitted. */
  #mayWatch(event: EventInfo): boolean {
    return (
      mayJoinEvent(this.principal, event.id, event.hasAccessCode) &&
      (passesLobby(this.principal, event) || this.#audience.lobby.isAdmitted(event.id, this.#listenerKey))
    );
  }

  #questionsKey(event: EventInfo | null): string {
    return event ? `${event.id}:${this.#mayWatch(event)}:${this.#page}` : 'none';
  }

  /** Puts a watch page that has the access code but not yet admission into the event's lobby, and takes it out otherwise. */
  #syncLobby(event: EventInfo | null): void {
    const waits =
      this.#page === 'watch' &&
      event !== null &&
      event.state !== 'ended' &&
      mayJoinEvent(this.principal, event.id, event.hasAccessCode) &&
      !this.#mayWatch(event);

    if (!waits) {
      this.#audience.lobby.leave(this.id);

      return;
    }
    this.#audience.lobby.wait(event.id, this.id, this.#listenerKey, this.#name ?? null);
    // A page sent to the lobby (staff turned it on mid-event) gets no more media and loses its hand and its place on stage.
    this.#audience.hands.lower(this.id);
    this.#audience.floor.leave(this.id);
    if (this.#viewer) {
      this.#logger.info('page waits in the lobby now; its media ends');
      this.dropViewer();
    }
  }

  async #createViewer(): Promise<unknown> {
    const room = this.#requireRoom();

    this.#replaceViewer(undefined);

    const viewer = await room.createViewer(this.id, this.#logger);

    // The connection may have closed, or sent another createRecvTransport, while the transport was created.
    if (this.#closed) {
      viewer.close();
      throw podiumError('PODIUM_ERR_NO_TRANSPORT');
    }
    this.#replaceViewer(viewer);
    this.#followed.clear();
    viewer.once('close', () => this.#onViewerLost(viewer));

    return this.#withIceServers(viewer.transportOptions());
  }

  /** Closes the current transports, if any, and keeps viewer (or none) in their place. */
  #replaceViewer(viewer: RoomViewer | undefined): void {
    const previous = this.#viewer;

    this.#viewer = viewer;
    previous?.close();
  }

  /**
   * Tells the page that its transports closed without its asking (their
   * media worker died, or the room closed), so that it sets them up again
   * once the room is there. The message waits for the end of the current
   * turn of the event loop. When the room itself closed, the snapshot that
   * reports it being rebuilt goes first, so the page waits for the new room
   * instead of asking the old one.
   */
  #onViewerLost(viewer: RoomViewer): void {
    if (this.#viewer !== viewer) return;
    this.#viewer = undefined;
    this.#logger.info('transports closed by the room or its media worker');
    setImmediate(() => this.notify({ type: 'consumersClosed', data: {} }));
  }

  /** Adds the configured TURN servers, so that browsers behind strict firewalls can relay. */
  #withIceServers<T extends object>(options: T): T & { iceServers?: IceServer[] } {
    const iceServers = this.#hooks.iceServers();

    return iceServers.length > 0 ? { ...options, iceServers } : options;
  }

  /**
   * Consumes the watch sources, or the requested ones this peer may receive.
   * A page never receives a source it publishes itself: a speaker's return
   * carries every voice but their own (mix-minus).
   */
  async #consume({ rtpCapabilities, sources }: RequestData['consume']): Promise<unknown> {
    const watched = watchSources(this.#requireRoom(), this.#programLive());
    const viewer = this.#requireViewer();
    const own = viewer.producedSources();
    const allowed = [...watched, ...extraConsumable(this.principal, this.#onStage)];
    const requested = sources ? allowed.filter((source, index) => sources.includes(source) && allowed.indexOf(source) === index) : watched;

    // Watch sources are renewed anyway; the others (a return) are followed by name.
    if (sources) for (const source of requested) if (!watched.includes(source)) this.#followed.add(source);
    const consumers = await viewer
      .consume(rtpCapabilities as types.RtpCapabilities, requested.filter((source) => !own.includes(source)))
      .catch(rejectAsMediaError);

    return { consumers };
  }

  #stopProducing({ source }: RequestData['stopProducing']): unknown {
    const label = SOURCE_LABELS.find((known) => known === source);

    if (!label) throw podiumError('PODIUM_ERR_PRODUCER_NOT_FOUND', source);

    // Podium may have ended the producer already (a guest removed from the stage); that is no error.
    const stopped = this.#requireViewer().stopProducing(label);

    if (stopped) this.#logger.info({ source }, 'producer stopped by its page');

    return { stopped };
  }

  async #produce({ kind, rtpParameters, source }: RequestData['produce']): Promise<unknown> {
    this.#requirePublisher();

    const label = SOURCE_LABELS.find((known) => known === source) as SourceLabel | undefined;

    if (!label || !canPublish(this.principal, label, this.#onStage)) {
      throw podiumError('PODIUM_ERR_FORBIDDEN', this.principal.role, `publish the source "${source}"`);
    }
    // The program takes each source as its kind; a camera under a microphone's label would silence the program sound.
    if (SOURCE_KINDS[label] !== kind) throw podiumError('PODIUM_ERR_SOURCE_KIND', source, SOURCE_KINDS[label], kind);

    const viewer = this.#requireViewer();
    const producerId = await viewer.produce(kind, rtpParameters as types.RtpParameters, label).catch(rejectAsMediaError);

    this.#logger.info({ source: label, kind, producerId }, 'peer publishes');
    // A guest whom staff muted stays muted when their page publishes again.
    if (label === 'listener-on-stage' && this.#audience.floor.guest?.muted) await viewer.setProducerPaused(label, true);
    // The floor may have ended while the producer was created.
    if (STAGE_GUEST_SOURCES.includes(label) && !this.#onStage && !canPublish(this.principal, label)) {
      viewer.stopProducing(label);
      throw podiumError('PODIUM_ERR_FORBIDDEN', this.principal.role, `publish the source "${source}"`);
    }

    return { producerId };
  }

  #askQuestion({ text }: RequestData['askQuestion']): unknown {
    const event = this.#requireAudience();
    const waitMs = this.#questionRate.retryAfterMs(this.id);

    if (waitMs > 0) throw podiumError('PODIUM_ERR_RATE_LIMITED', 'questions', Math.ceil(waitMs / 1000));
    this.#questionRate.record(this.id);

    const question = this.#audience.questions.ask(event.id, {
      author: this.#name ?? null,
      text: text.trim(),
      asker: this.#listenerKey,
    });

    return { questionId: question.id };
  }

  #sendCaption(text: string): unknown {
    if (!mayCaption(this.principal)) throw podiumError('PODIUM_ERR_FORBIDDEN', this.principal.role, 'send captions');

    const event = this.#requireAudience();
    const captions = this.#audience.captions.add(event.id, text, 'page');

    return { captionIds: captions.map((caption) => caption.id) };
  }

  #answerStageInvite(accept: boolean): unknown {
    this.#requireAudience();
    if (!this.#audience.floor.answer(this.id, accept)) throw podiumError('PODIUM_ERR_NOT_INVITED');
    this.#audience.hands.lower(this.id);

    return { onStage: this.#onStage };
  }

  /** True while this connection's listener is the guest on stage. */
  get #onStage(): boolean {
    return this.#audience.floor.isOnStage(this.id);
  }

  #setHand(raised: boolean): unknown {
    this.#requireAudience();
    // The guest invited or on stage has the floor already.
    if (raised && this.#audience.floor.guest?.peerId === this.id) return { raised: false };
    if (raised) this.#audience.hands.raise(this.id, this.#name ?? null);
    else this.#audience.hands.lower(this.id);
    this.#logger.info({ raised }, 'hand changed');

    return { raised };
  }

  /** The live event, if this peer may take part in it as a listener (access code, lobby). */
  #requireAudience(): EventInfo {
    this.#requireRoom();

    return this.#controller.snapshot().event as EventInfo;
  }

  /** The live room, if this principal may take part in its event. */
  #programLive(): boolean {
    return this.#controller.liveEvent?.program?.state === 'live';
  }

  #requireRoom(): Room {
    const room = this.#controller.room;
    const snapshot = this.#controller.snapshot();
    const event = snapshot.event;

    if (!room || !event || event.state !== 'live') {
      throw podiumError('PODIUM_ERR_NOT_LIVE', event?.state ?? 'no event');
    }
    if (!mayJoinEvent(this.principal, event.id, event.hasAccessCode)) {
      if (this.principal.eventId === null && this.principal.role === 'listener') {
        throw podiumError('PODIUM_ERR_ACCESS_CODE_REQUIRED');
      }
      throw podiumError('PODIUM_ERR_FORBIDDEN', this.principal.role, 'take part in this event');
    }
    if (!this.#mayWatch(event)) throw podiumError('PODIUM_ERR_LOBBY_WAITING');

    return room;
  }

  /** Throws unless the principal may publish some source at all. */
  #requirePublisher(): void {
    this.#requireRoom();
    if (!SOURCE_LABELS.some((source) => canPublish(this.principal, source, this.#onStage))) {
      throw podiumError('PODIUM_ERR_FORBIDDEN', this.principal.role, 'publish into the room');
    }
  }

  #requireViewer(): RoomViewer {
    if (!this.#viewer || this.#viewer.closed) throw podiumError('PODIUM_ERR_NO_TRANSPORT');

    return this.#viewer;
  }
}

/** Rethrows a mediasoup error as PODIUM_ERR_MEDIA with mediasoup's message. */
function rejectAsMediaError(error: unknown): never {
  throw podiumError('PODIUM_ERR_MEDIA', (error as Error).message);
}
