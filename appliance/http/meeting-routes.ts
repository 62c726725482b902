import type { FastifyInstance } from 'fastify';
import type { MeetingService, NewMeeting } from '../meetings/meeting-service.js';
import { MAX_MEETING_NAME_LENGTH } from '../meetings/meeting-protocol.js';
import { idParams } from './id-params.js';

const meetingBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', maxLength: MAX_MEETING_NAME_LENGTH * 2 },
    accessCode: { type: ['string', 'null'], maxLength: 64 },
    lobby: { type: 'boolean' },
    expiresAt: { type: ['string', 'null'], maxLength: 40 },
  },
} as const;

/** Returns the body schema of a request that turns one output on or off, such as {"hls": true}. */
function switchBody(name: string) {
  return { type: 'object', additionalProperties: false, required: [name], properties: { [name]: { type: 'boolean' } } } as const;
}

/**
 * Staff routes that create, list, end and delete meetings and stream or
 * record them, and the public one a join page reads.
 */
export function registerMeetingRoutes(app: FastifyInstance, meetings: MeetingService): void {
  app.get('/api/meetings', async () => meetings.list());

  app.post<{ Body: NewMeeting }>('/api/meetings', { schema: { body: meetingBody } }, async (request, reply) => {
    reply.code(201);

    return meetings.create(request.body);
  });

  app.post<{ Params: { id: string } }>('/api/meetings/:id/end', { schema: { params: idParams } }, async (request) =>
    meetings.end(request.params.id),
  );

  app.post<{ Params: { id: string }; Body: { hls: boolean } }>(
    '/api/meetings/:id/broadcast',
    { schema: { params: idParams, body: switchBody('hls') } },
    async (request) => meetings.setStreaming(request.params.id, request.body.hls),
  );

  app.post<{ Params: { id: string }; Body: { recording: boolean } }>(
    '/api/meetings/:id/recording',
    { schema: { params: idParams, body: switchBody('recording') } },
    async (request) => meetings.setRecording(request.params.id, request.body.recording),
  );

  app.delete<{ Params: { id: string } }>('/api/meetings/:id', { schema: { params: idParams } }, async (request, reply) => {
    meetings.delete(request.params.id);
    reply.code(204);
  });

  app.get<{ Params: { id: string } }>(
    '/api/meetings/:id/public',
    { schema: { params: idParams }, config: { access: 'public' } },
    async (request) => meetings.publicInfo(request.params.id),
  );
}
