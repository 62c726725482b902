import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the HLS tree under /hls/. Playlists change every second, so clients
 * must not cache them; a segment never changes once written.
 */
export async function registerHlsRoutes(app: FastifyInstance, hlsRoot: string): Promise<void> {
  await app.register(fastifyStatic, {
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
      response.setHeader('Access-Control-Allow-Origin', '*');
    },
  });
}
