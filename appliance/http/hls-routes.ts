import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { mayJoinEvent, passesLobby } from '../auth/roles.js';
import { podiumError } from '../errors.js';
import type { EventController } from '../events/event-controller.js';

/** The only HLS paths served: /hls/<event or broadcast id>/<name>.m3u8, .ts or .vtt (captions). */
const HLS_FILE = /^\/hls\/([0-9a-f-]{36})\/[\w-]+\.(m3u8|ts|vtt)$/;

/** Returns the decoded path of a request URL, or undefined when it does not decode. */
function decodedPath(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url, 'http://podium').pathname);
  } catch {
    return undefined;
  }
}

/**
 * Serves the HLS tree under /hls/. Playlists change every second, so clients
 * must not cache them; a segment never changes once written. An event with
 * an access code serves its stream only to pages that entered the code, and
 * one with a lobby only to listeners whose session comes from an admission.
 * A meeting's broadcast is served to anyone with its URL (its id is random)
 * while staff stream it, and not at all otherwise.
 */
export async function registerHlsRoutes(
  app: FastifyInstance,
  hlsRoot: string,
  controller: EventController,
  isStreamingMeeting: (broadcastId: string) => boolean = () => false,
): Promise<void> {
  // The check runs on the decoded path, the one the file server will use, so
  // that no spelling of a path (%63, %2D, %2F) gets around it.
  app.addHook('onRequest', async (request) => {
    const path = decodedPath(request.url);

    if (!request.url.startsWith('/hls') && !path?.startsWith('/hls')) return;

    const eventId = path === undefined ? undefined : HLS_FILE.exec(path)?.[1];

    if (!eventId) throw podiumError('PODIUM_ERR_ROUTE_NOT_FOUND', request.method, request.url.split('?')[0] ?? '');
    if (isStreamingMeeting(eventId)) return;

    const event = controller.find(eventId);

    if (!event) throw podiumError('PODIUM_ERR_ROUTE_NOT_FOUND', request.method, request.url.split('?')[0] ?? '');
    if (!mayJoinEvent(request.principal, event.id, event.hasAccessCode)) {
      throw podiumError('PODIUM_ERR_ACCESS_CODE_REQUIRED');
    }
    if (!passesLobby(request.principal, event)) throw podiumError('PODIUM_ERR_LOBBY_WAITING');
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
    allowedPath: (path) => /^\/[0-9a-f-]+\/[\w-]+\.(m3u8|ts|vtt)$/.test(path),
    setHeaders: (response, path) => {
      if (path.endsWith('.m3u8')) {
        response.setHeader('Content-Type', 'application/vnd.apple.mpegurl');
        response.setHeader('Cache-Control', 'no-cache, no-store');
      } else if (path.endsWith('.vtt')) {
        response.setHeader('Content-Type', 'text/vtt; charset=utf-8');
        response.setHeader('Cache-Control', 'public, max-age=3600, immutable');
      } else {
        response.setHeader('Content-Type', 'video/mp2t');
        response.setHeader('Cache-Control', 'public, max-age=3600, immutable');
      }
    },
  });
}
