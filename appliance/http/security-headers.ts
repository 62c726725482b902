import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every response: pages load scripts, styles,
 * fonts, images and media from Podium only, and connect only back to it.
 * hls.js plays through Media Source Extensions (blob: media) and may run a
 * blob: worker.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Adds the privacy and hardening headers to every response. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Permissions-Policy', 'camera=(self), microphone=(self), display-capture=(self), interest-cohort=()');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
  });
}
