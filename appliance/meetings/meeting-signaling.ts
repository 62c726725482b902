import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import type { IceServer } from '../signaling/protocol.js';
import { isSameOrigin } from '../signaling/signaling-server.js';
import { MeetingPeer } from './meeting-peer.js';
import type { MeetingService } from './meeting-service.js';

/**
 * Registers the meetings' WebSocket, /meetings/signaling, on one server.
 * Like /signaling it takes only pages of this server, and a staff session
 * cookie makes its holder a moderator of any meeting.
 */
export function registerMeetingSignaling(app: FastifyInstance, deps: { meetings: MeetingService; access: AccessControl; iceServers: () => IceServer[] }): void {
  app.get('/meetings/signaling', { websocket: true, config: { access: 'public' } }, (socket, request) => {
    if (!isSameOrigin(request.headers.origin, request.headers.host)) {
      request.log.warn({ origin: request.headers.origin }, 'meeting signaling from another origin rejected');
      socket.close(1008, 'cross-origin signaling is not allowed');

      return;
    }

    const principal = deps.access.principalFromCookies(request.headers.cookie);

    new MeetingPeer(socket, principal, deps.meetings, deps.iceServers, request.log, request.ip);
  });
}
