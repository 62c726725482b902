import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import type { EventController } from '../events/event-controller.js';
import { SignalingPeer } from './signaling-peer.js';
import type { IceServer } from './protocol.js';

/** Frames above this size close the connection (flood guard); smaller ones over the message limit get an error reply. */
const MAX_FRAME_BYTES = 1024 * 1024;

export const signalingWebSocketOptions = { maxPayload: MAX_FRAME_BYTES };

/**
 * Returns true when a WebSocket upgrade comes from a page of this server (or
 * from a client that sends no Origin, such as a test tool). Cookies alone do
 * not stop another site's page from opening a WebSocket.
 */
function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
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
  readonly #iceServers: () => IceServer[];

  /** iceServers: the TURN servers with fresh credentials, called for each new transport. */
  constructor(controller: EventController, access: AccessControl, iceServers: () => IceServer[] = () => []) {
    this.#controller = controller;
    this.#access = access;
    this.#iceServers = iceServers;
    controller.on('change', () => {
      for (const peer of this.#peers) peer.notifySnapshot();
      if (!controller.room) for (const peer of this.#peers) peer.dropViewer();
    });
    // The capture reports the level ten times a second.
    access.on('sessionsended', () => this.#closeEndedSessions());
    controller.on('producer', (source) => {
      for (const peer of this.#peers) peer.notifyProducerReplaced(source);
    });
    controller.on('question', (question) => {
      for (const peer of this.#peers) {
        if (peer.page === 'console' && peer.principal.role === 'staff') {
          peer.notify({ type: 'questionAdded', data: question });
        }
      }
    });
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
        onJoin: () => this.#countViewers(),
        isSessionAlive: () => this.#access.isSessionAlive(principal),
        onClose: () => {
          this.#peers.delete(peer);
          this.#countViewers();
        },
        iceServers: this.#iceServers,
      });

      this.#peers.add(peer);
    });
  }

  closeAll(): void {
    for (const peer of this.#peers) peer.close();
  }

  #closeEndedSessions(): void {
    for (const peer of this.#peers) {
      if (!this.#access.isSessionAlive(peer.principal)) peer.close();
    }
  }

  #countViewers(): void {
    this.#controller.setViewerCount([...this.#peers].filter((peer) => peer.page === 'watch').length);
  }
}
