import type { FastifyInstance } from 'fastify';
import { snapshotFor } from '../auth/snapshot-view.js';
import type { EventController } from '../events/event-controller.js';

const eventIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

const newEventBody = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'startsAt'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    description: { type: 'string', maxLength: 4000, default: '' },
    startsAt: { type: 'string', format: 'date-time' },
    accessCode: { type: 'string', pattern: '^[A-Za-z0-9-]{4,32}$' },
    keepTexts: { type: 'boolean' },
    lobby: { type: 'boolean' },
  },
} as const;

type NewEventBody = {
  title: string;
  description: string;
  startsAt: string;
  accessCode?: string;
  keepTexts?: boolean;
  lobby?: boolean;
};

type IdParams = { Params: { id: string } };

/**
 * Registers the event API: the public snapshot, and for staff list, create,
 * select, start and stop. keepTexts defaults to privacy.keepQuestions.
 */
export function registerEventRoutes(app: FastifyInstance, controller: EventController, keepTextsDefault: boolean): void {
  app.get('/api/state', { config: { access: 'public' } }, async (request) =>
    snapshotFor(request.principal, controller.snapshot()),
  );

  app.get('/api/events', async () => ({ events: controller.list() }));

  app.post<{ Body: NewEventBody }>(
    '/api/events',
    { schema: { body: newEventBody } },
    async (request, reply) => {
      const event = controller.create({
        title: request.body.title.trim(),
        description: request.body.description.trim(),
        startsAt: new Date(request.body.startsAt).toISOString(),
        accessCode: request.body.accessCode ?? null,
        keepTexts: request.body.keepTexts ?? keepTextsDefault,
        lobby: request.body.lobby ?? false,
      });

      return reply.status(201).send(event);
    },
  );

  app.get<IdParams>('/api/events/:id', { schema: { params: eventIdParams } }, async (request) =>
    controller.get(request.params.id),
  );

  app.post<IdParams>('/api/events/:id/select', { schema: { params: eventIdParams } }, async (request) =>
    controller.select(request.params.id),
  );

  app.post<IdParams>('/api/events/:id/start', { schema: { params: eventIdParams } }, async (request, reply) => {
    request.log.info({ eventId: request.params.id }, 'start requested');

    return reply.status(202).send(controller.start(request.params.id));
  });

  app.post<IdParams>('/api/events/:id/stop', { schema: { params: eventIdParams } }, async (request) => {
    request.log.info({ eventId: request.params.id }, 'stop requested');

    return controller.stop(request.params.id);
  });
}
