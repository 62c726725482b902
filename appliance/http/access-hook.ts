import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import type { Principal } from '../auth/roles.js';
import { podiumError } from '../errors.js';

/** The callers a route admits: anyone, or staff only. */
export type RouteAccess = 'public' | 'staff';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The callers the route admits; a route without it is staff-only. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The verified caller, from the session cookie. */
    principal: Principal;
  }
}

/** Static files are public; every other route states its access or is staff-only. */
function accessOf(request: FastifyRequest): RouteAccess {
  const declared = request.routeOptions.config.access;

  if (declared) return declared;
  if (request.url.startsWith('/assets/') || request.url.startsWith('/hls/')) return 'public';

  return 'staff';
}

/**
 * Resolves every request's principal from its session cookie and rejects
 * requests to staff routes from anyone else, before any handler runs.
 */
export function registerAccessHook(app: FastifyInstance, access: AccessControl): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request) => {
    const principal = access.principalFromCookies(request.headers.cookie);

    request.principal = principal;
    if (accessOf(request) === 'public' || principal.role === 'staff') return;
    if (principal.sessionId === null) throw podiumError('PODIUM_ERR_UNAUTHORIZED', `${request.method} ${request.url.split('?')[0]}`);
    throw podiumError('PODIUM_ERR_FORBIDDEN', principal.role, `call ${request.method} ${request.url.split('?')[0]}`);
  });
}
