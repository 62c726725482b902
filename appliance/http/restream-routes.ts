import type { FastifyInstance } from 'fastify';
import type { EventController } from '../events/event-controller.js';
import type { RestreamService } from '../restream/restream-service.js';
import { idParams } from './id-params.js';

const targetBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'url'],
  properties: {
    name: { type: 'string', maxLength: 200 },
    url: { type: 'string', maxLength: 500 },
    streamKey: { type: 'string', maxLength: 500 },
  },
} as const;

/** Staff routes for an event's restream targets; the stream key goes in and never comes out. */
export function registerRestreamRoutes(app: FastifyInstance, restreams: RestreamService, controller: EventController): void {
  app.get<{ Params: { id: string } }>('/api/events/:id/restreams', { schema: { params: idParams } }, async (request) => ({
    targets: restreams.list(controller.get(request.params.id).id),
  }));

  app.post<{ Params: { id: string }; Body: { name: string; url: string; streamKey?: string } }>(
    '/api/events/:id/restreams',
    { schema: { params: idParams, body: targetBody } },
    async (request) => {
      const eventId = controller.get(request.params.id).id;

      return restreams.add(eventId, { ...request.body, streamKey: request.body.streamKey ?? '' });
    },
  );

  app.post<{ Params: { id: string } }>('/api/restreams/:id/delete', { schema: { params: idParams } }, async (request) => {
    await restreams.remove(request.params.id);

    return { ok: true };
  });
}
