import type { FastifyInstance } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import type { EventController } from '../events/event-controller.js';
import type { Lobby } from '../lobby/lobby.js';
import type { HandQueue } from '../questions/hand-queue.js';
import type { QuestionBoard } from '../questions/question-board.js';
import type { QuestionState } from '../signaling/protocol.js';
import type { StageFloor } from '../stage/stage-floor.js';
import { podiumError } from '../errors.js';
import { setSession } from './auth-routes.js';

export type AudienceRouteDeps = {
  controller: EventController;
  access: AccessControl;
  questions: QuestionBoard;
  hands: HandQueue;
  lobby: Lobby;
  floor: StageFloor;
  /** Whether this server is the HTTPS one (cookies get Secure). */
  secure: boolean;
};

const eventIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

const questionIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1 } },
} as const;

const peerIdParams = {
  type: 'object',
  required: ['peerId'],
  properties: { peerId: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

function objectBody(properties: Record<string, object>, required: string[]): object {
  return { type: 'object', additionalProperties: false, required, properties };
}

type EventParams = { Params: { id: string } };

/**
 * Registers the staff routes for the audience (question states, the venue
 * screen's question, raised hands, the listener on stage, the lobby) and the listeners' exchange of
 * an admission ticket for a session cookie.
 */
export function registerAudienceRoutes(app: FastifyInstance, deps: AudienceRouteDeps): void {
  const { controller, questions, hands, lobby, floor } = deps;

  app.get<EventParams>('/api/events/:id/questions', { schema: { params: eventIdParams } }, async (request) => ({
    questions: questions.list(request.params.id),
  }));

  app.post<{ Params: { id: number }; Body: { state: QuestionState } }>(
    '/api/questions/:id/state',
    { schema: { params: questionIdParams, body: objectBody({ state: { enum: ['open', 'answered', 'hidden'] } }, ['state']) } },
    async (request) => questions.setState(request.params.id, request.body.state),
  );

  app.post<EventParams & { Body: { questionId: number | null } }>(
    '/api/events/:id/stage-question',
    {
      schema: {
        params: eventIdParams,
        body: objectBody({ questionId: { type: ['integer', 'null'], minimum: 1 } }, ['questionId']),
      },
    },
    async (request) => ({ question: questions.putOnStage(request.params.id, request.body.questionId) }),
  );

  app.get('/api/hands', async () => ({ hands: hands.list() }));

  app.post<{ Params: { peerId: string } }>('/api/hands/:peerId/lower', { schema: { params: peerIdParams } }, async (request) => ({
    lowered: hands.lower(request.params.peerId),
  }));

  app.get('/api/stage', async () => ({ guest: floor.guest }));

  app.post<{ Body: { peerId: string } }>(
    '/api/stage/invite',
    { schema: { body: objectBody({ peerId: { type: 'string', minLength: 1, maxLength: 64 } }, ['peerId']) } },
    async (request) => {
      const hand = hands.list().find((raised) => raised.peerId === request.body.peerId);

      if (!hand) throw podiumError('PODIUM_ERR_HAND_NOT_RAISED', request.body.peerId);

      return { guest: floor.invite(hand.peerId, hand.name) };
    },
  );

  app.post<{ Body: { muted: boolean } }>(
    '/api/stage/mute',
    { schema: { body: objectBody({ muted: { type: 'boolean' } }, ['muted']) } },
    async (request) => ({ guest: floor.setMuted(request.body.muted) }),
  );

  app.post('/api/stage/remove', async () => ({ removed: floor.remove() !== null }));

  app.get<EventParams>('/api/events/:id/lobby', { schema: { params: eventIdParams } }, async (request) => ({
    enabled: controller.get(request.params.id).hasLobby,
    guests: lobby.guests(request.params.id),
  }));

  app.post<EventParams & { Body: { enabled: boolean } }>(
    '/api/events/:id/lobby',
    { schema: { params: eventIdParams, body: objectBody({ enabled: { type: 'boolean' } }, ['enabled']) } },
    async (request) => controller.setLobby(request.params.id, request.body.enabled),
  );

  app.post<EventParams & { Body: { peerId: string } }>(
    '/api/events/:id/lobby/admit',
    { schema: { params: eventIdParams, body: objectBody({ peerId: { type: 'string', minLength: 1, maxLength: 64 } }, ['peerId']) } },
    async (request) => {
      lobby.admit(controller.get(request.params.id).id, request.body.peerId);

      return { admitted: 1 };
    },
  );

  app.post<EventParams>('/api/events/:id/lobby/admit-all', { schema: { params: eventIdParams } }, async (request) => ({
    admitted: lobby.admitAll(controller.get(request.params.id).id),
  }));

  app.post<EventParams & { Body: { ticket: string } }>(
    '/api/events/:id/admission',
    {
      config: { access: 'public' },
      schema: { params: eventIdParams, body: objectBody({ ticket: { type: 'string', minLength: 1, maxLength: 64 } }, ['ticket']) },
    },
    async (request, reply) => {
      lobby.redeem(request.params.id, request.body.ticket);
      // Only listeners wait in lobbies; replacing another role's cookie would end its session.
      if (request.principal.role === 'listener') setSession(reply, deps.access.lobbyAdmission(request.params.id), deps.secure);

      return { admitted: true };
    },
  );
}
