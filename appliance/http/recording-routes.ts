import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { RecordingService } from '../recording/recording-service.js';
import { idParams } from './id-params.js';

/** Staff routes for recording: start and stop the live event's recording, list, download (with its captions) and delete files. */
export function registerRecordingRoutes(app: FastifyInstance, recordings: RecordingService): void {
  app.get('/api/recordings', async () => ({ recordings: recordings.list(), status: recordings.status }));

  app.post('/api/recording/start', async () => recordings.start());

  app.post('/api/recording/stop', async () => recordings.stop());

  app.get<{ Params: { id: string } }>('/api/recordings/:id/file', { schema: { params: idParams } }, async (request, reply) => {
    const { info, path } = recordings.file(request.params.id);

    request.log.info({ recordingId: info.id }, 'recording downloaded');

    return reply
      .type('video/mp2t')
      .header('Content-Disposition', `attachment; filename="${info.fileName}"`)
      .header('Cache-Control', 'no-store')
      .send(createReadStream(path));
  });

  app.get<{ Params: { id: string } }>('/api/recordings/:id/captions', { schema: { params: idParams } }, async (request, reply) => {
    const { info, path } = recordings.captionsFile(request.params.id);

    request.log.info({ recordingId: info.id }, 'recording captions downloaded');

    return reply
      .type('text/vtt; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${basename(path)}"`)
      .header('Cache-Control', 'no-store')
      .send(createReadStream(path));
  });

  app.post<{ Params: { id: string } }>('/api/recordings/:id/delete', { schema: { params: idParams } }, async (request) => {
    await recordings.delete(request.params.id);

    return { ok: true };
  });
}
