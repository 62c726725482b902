import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import type { EventController } from '../events/event-controller.js';
import { SignalingPeer, type Audience } from './signaling-peer.js';
import type { IceServer } from './protocol.js';

/**
 * Watch pages get the question list at most this often, so that a burst of
 * votes costs one list per page, not one per vote and page.
 */
const QUESTION_LIST_INTERVAL_MS = 250;

/** Frames above this size close the connection (flood guard); smaller ones over the message limit get an error reply. */
const MAX_FRAME_BYTES = 1024 * 1024;

export const signalingWebSocketOptions = { maxPayload: MAX_FRAME_BYTES };

/**
 * Returns true when a WebSocket upgrade comes from a page of this server (or
 * from a client that sends no Origin, such as a test tool). Cookies alone do
 * not stop another site's page from opening a WebSocket.
 */
export function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;

  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Every signaling connection of Podium, over plain HTTP and HTTPS alike. It
 * sends each page the event snapshot its principal may see, sends consoles
 * the microphone level, and counts open watch pages as viewers.
 */
export class SignalingHub {
  readonly #peers = new Set<SignalingPeer>();
  readonly #controller: EventController;
  readonly #access: AccessControl;
  /** Returns the TURN servers with fresh credentials; meetings hand them out too. */
  readonly iceServers: () => IceServer[];
  readonly #audience: Audience;
  #shownEventId: string | undefined;
  #questionListTimer: NodeJS.Timeout | undefined;

  /** iceServers: the TURN servers with fresh credentials, called for each new transport. */
  constructor(controller: EventController, access: AccessControl, audience: Audience, iceServers: () => IceServer[] = () => []) {
    this.#controller = controller;
    this.#access = access;
    this.#audience = audience;
    this.iceServers = iceServers;
    controller.on('change', (snapshot) => {
      if (snapshot.event?.state !== 'live') {
        audience.hands.clear();
        audience.floor.remove();
      }
      this.#notifyLobbyOnEventChange(snapshot.event?.id);
      for (const peer of this.#peers) peer.notifySnapshot(snapshot);
      if (!controller.room) for (const peer of this.#peers) peer.dropViewer();
    });
    // The capture reports the level ten times a second.
    access.on('sessionsended', () => this.#closeEndedSessions());
    controller.on('producer', (source) => {
      for (const peer of this.#peers) peer.notifyProducerReplaced(source);
    });
    this.#followAudience(audience);
    controller.on('level', (level) => {
      for (const peer of this.#peers) {
        if (peer.page === 'console') peer.notify({ type: 'micLevel', data: level });
      }
    });
  }

  /** Registers the /signaling WebSocket route on one server. */
  register(app: FastifyInstance): void {
    app.get('/signaling', { websocket: true, config: { access: 'public' } }, (socket, request) => {
      if (!isSameOrigin(request.headers.origin, request.headers.host)) {
        request.log.warn({ origin: request.headers.origin }, 'signaling from another origin rejected');
        socket.close(1008, 'cross-origin signaling is not allowed');

        return;
      }

      const principal = this.#access.principalFromCookies(request.headers.cookie);
      const peer = new SignalingPeer(socket, principal, this.#controller, request.log, {
        onJoin: () => {
          this.#countViewers();
          if (peer.page === 'console') this.#notifyConsole(peer);
          if (peer.page === 'stage') peer.notify({ type: 'floor', data: { guest: this.#audience.floor.guest } });
        },
        isSessionAlive: () => this.#access.isSessionAlive(principal),
        onClose: () => {
          this.#peers.delete(peer);
          this.#countViewers();
        },
        iceServers: this.iceServers,
      }, this.#audience);

      this.#peers.add(peer);
    });
  }

  closeAll(): void {
    clearTimeout(this.#questionListTimer);
    for (const peer of this.#peers) peer.close();
  }

  #closeEndedSessions(): void {
    for (const peer of this.#peers) {
      if (!this.#access.isSessionAlive(peer.principal)) peer.close();
    }
  }

  /**
   * Sends consoles every change of questions, hands, the lobby and the
   * floor, and listeners their questions, admission and place on stage.
   */
  #followAudience({ questions, hands, lobby, floor, captions }: Audience): void {
    captions.on('caption', (caption) => {
      for (const peer of this.#peers) peer.notifyCaption(caption);
    });
    floor.on('change', (guest) => {
      for (const peer of this.#staffPages()) peer.notify({ type: 'floor', data: { guest } });
    });
    floor.on('guest', (peerId, invitation) => void this.#peer(peerId)?.applyStage(invitation));
    questions.on('question', (question, change) => {
      const type = change === 'added' ? 'questionAdded' : 'questionUpdated';

      for (const peer of this.#consoles()) peer.notify({ type, data: question });
      this.#questionListTimer ??= setTimeout(() => {
        this.#questionListTimer = undefined;
        for (const peer of this.#peers) peer.notifyQuestions();
      }, QUESTION_LIST_INTERVAL_MS);
    });
    hands.on('change', () => {
      for (const peer of this.#consoles()) peer.notify({ type: 'hands', data: { hands: hands.list() } });
    });
    hands.on('lowered', (peerId) => this.#peer(peerId)?.notify({ type: 'hand', data: { raised: false } }));
    lobby.on('change', (eventId) => {
      if (eventId !== this.#controller.snapshot().event?.id) return;
      for (const peer of this.#consoles()) peer.notify({ type: 'lobby', data: { guests: lobby.guests(eventId) } });
    });
    lobby.on('admitted', (peerId, ticket) => {
      const peer = this.#peer(peerId);

      peer?.notify({ type: 'admitted', data: { ticket } });
      peer?.notifySnapshot();
    });
  }

  /** Sends consoles the lobby of the event they show when that event changes (select). */
  #notifyLobbyOnEventChange(eventId: string | undefined): void {
    if (eventId === this.#shownEventId) return;
    this.#shownEventId = eventId;

    const guests = eventId ? this.#audience.lobby.guests(eventId) : [];

    for (const peer of this.#consoles()) peer.notify({ type: 'lobby', data: { guests } });
  }

  /** Sends a console that just joined the raised hands and the lobby. */
  #notifyConsole(peer: SignalingPeer): void {
    const eventId = this.#controller.snapshot().event?.id;

    peer.notify({ type: 'hands', data: { hands: this.#audience.hands.list() } });
    peer.notify({ type: 'floor', data: { guest: this.#audience.floor.guest } });
    peer.notify({ type: 'lobby', data: { guests: eventId ? this.#audience.lobby.guests(eventId) : [] } });
  }

  /** Staff pages that show the floor: consoles and venue screens. */
  #staffPages(): SignalingPeer[] {
    return [...this.#peers].filter((peer) => peer.page !== 'watch' && peer.principal.role === 'staff');
  }

  #consoles(): SignalingPeer[] {
    return [...this.#peers].filter((peer) => peer.page === 'console' && peer.principal.role === 'staff');
  }

  #peer(peerId: string): SignalingPeer | undefined {
    return [...this.#peers].find((peer) => peer.id === peerId);
  }

  #countViewers(): void {
    this.#controller.setViewerCount([...this.#peers].filter((peer) => peer.page === 'watch').length);
  }
}
