import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { EventController } from '../events/event-controller.js';
import type { Notification } from './protocol.js';
import { SignalingPeer } from './signaling-peer.js';

/** Frames above this size close the connection (flood guard); smaller ones over the message limit get an error reply. */
const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * Registers the /signaling WebSocket route: one connection per page, each a
 * SignalingPeer. Broadcasts the event snapshot to every page and the
 * microphone level to consoles, and counts open watch pages as viewers.
 */
export function registerSignaling(app: FastifyInstance, controller: EventController): void {
  const peers = new Set<SignalingPeer>();

  const broadcast = (message: Notification, page?: 'watch' | 'console') => {
    for (const peer of peers) {
      if (page === undefined || peer.page === page) peer.notify(message);
    }
  };
  const countViewers = () => {
    controller.setViewerCount([...peers].filter((peer) => peer.page === 'watch').length);
  };

  controller.on('change', (snapshot) => {
    broadcast({ type: 'eventState', data: snapshot });
    if (!controller.room) for (const peer of peers) peer.dropViewer();
  });
  // The capture reports the level ten times a second.
  controller.on('level', (level) => broadcast({ type: 'micLevel', data: level }, 'console'));

  app.get('/signaling', { websocket: true }, (socket, request) => {
    const peer = new SignalingPeer(socket, controller, request.log, {
      onJoin: countViewers,
      onClose: () => {
        peers.delete(peer);
        countViewers();
      },
    });

    peers.add(peer);
  });

  app.addHook('onClose', async () => {
    for (const peer of peers) peer.close();
  });
}

export const signalingWebSocketOptions = { maxPayload: MAX_FRAME_BYTES };
