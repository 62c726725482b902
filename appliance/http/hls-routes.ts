import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { mayJoinEvent } from '../auth/roles.js';
import { podiumError } from '../errors.js';
import type { EventController } from '../events/event-controller.js';

const HLS_PATH = /^\/hls\/([0-9a-f-]{36})\//;

/**
 * Serves the HLS tree under /hls/. Playlists change every second, so clients
 * must not cache them; a segment never changes once written. An event with
 * an access code serves its stream only to pages that entered the code.
 */
export async function registerHlsRoutes(
  app: FastifyInstance,
  hlsRoot: string,
  controller: EventController,
): Promise<void> {
  app.addHook('onRequest', async (request) => {
    const eventId = HLS_PATH.exec(request.url)?.[1];

    if (!eventId) return;

    const event = controller.find(eventId);

    if (event && !mayJoinEvent(request.principal, event.id, event.hasAccessCode)) {
      throw podiumError('PODIUM_ERR_ACCESS_CODE_REQUIRED');
    }
  });
  // Segment requests arrive every second per viewer; only warnings are logged.
  await app.register(fastifyStatic, {
    logLevel: 'warn',
    root: hlsRoot,
    prefix: '/hls/',
    decorateReply: false,
    cacheControl: false,
    etag: false,
    lastModified: false,
    allowedPath: (path) => /^\/[0-9a-f-]+\/[\w-]+\.(m3u8|ts)$/.test(path),
    setHeaders: (response, path) => {
      if (path.endsWith('.m3u8')) {
        response.setHeader('Content-Type', 'application/vnd.apple.mpegurl');
        response.setHeader('Cache-Control', 'no-cache, no-store');
      } else {
        response.setHeader('Content-Type', 'video/mp2t');
        response.setHeader('Cache-Control', 'public, max-age=3600, immutable');
      }
    },
  });
}
