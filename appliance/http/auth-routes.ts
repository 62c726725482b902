import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessControl, NewSession } from '../auth/access-control.js';
import { sessionCookie } from '../auth/cookies.js';
import { INVITE_ROLES, type InviteRole } from '../auth/roles.js';
import type { EventController } from '../events/event-controller.js';
import type { TlsMaterial } from '../tls/certificate.js';
import { idParams } from './id-params.js';

export type AuthRouteDeps = {
  access: AccessControl;
  controller: EventController;
  /** Whether this server is the HTTPS one (cookies get Secure). */
  secure: boolean;
  tls: TlsMaterial | undefined;
  /** The HTTPS origin invite links point to, such as https://192.168.1.20:8443. */
  publicOrigin: () => string;
  /** privacy.keepQuestions: whether new events keep their texts unless staff choose otherwise. */
  keepTextsDefault: boolean;
};

/** Sets the session cookie of a new session on a reply. */
export function setSession(reply: FastifyReply, session: NewSession, secure: boolean): void {
  reply.header('Set-Cookie', sessionCookie(session.token, { secure, maxAgeSeconds: session.maxAgeSeconds }));
}

function clientAddress(request: FastifyRequest): string {
  return request.socket.remoteAddress ?? 'unknown';
}

/**
 * Staff login and logout, the caller's role, invite links (create, list,
 * revoke, redeem), listener access codes, and what the console shows of
 * the appliance (certificate fingerprint, the first staff password once).
 */
/** The page an invite link opens, by the invitee's role. */
const INVITE_PAGES = { speaker: 'speak', captioner: 'caption', interpreter: 'interpret' } as const;

export function registerAuthRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  const { access, controller, secure } = deps;

  app.post<{ Body: { password: string } }>(
    '/api/login',
    {
      config: { access: 'public' },
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['password'],
          properties: { password: { type: 'string', minLength: 1, maxLength: 200 } },
        },
      },
    },
    async (request, reply) => {
      setSession(reply, await access.login(request.body.password, clientAddress(request)), secure);

      return { role: 'staff' };
    },
  );

  app.post('/api/logout', { config: { access: 'public' } }, async (request, reply) => {
    access.logout(request.principal);
    reply.header('Set-Cookie', sessionCookie('', { secure, maxAgeSeconds: 0 }));

    return { role: 'listener' };
  });

  app.get('/api/me', { config: { access: 'public' } }, async (request) => ({
    role: request.principal.role,
    eventId: request.principal.eventId,
  }));

  app.get('/api/system', async () => ({
    tls: deps.tls
      ? { fingerprint256: deps.tls.fingerprint256, selfSigned: deps.tls.selfSigned, validTo: deps.tls.validTo }
      : null,
    httpsOrigin: deps.publicOrigin(),
    initialStaffPassword: access.takeInitialPassword() ?? null,
    keepTextsDefault: deps.keepTextsDefault,
  }));

  app.post<{ Params: { id: string }; Body: { role: InviteRole; label: string; validHours: number } }>(
    '/api/events/:id/invites',
    {
      schema: {
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['role', 'label'],
          properties: {
            role: { enum: [...INVITE_ROLES] },
            label: { type: 'string', minLength: 1, maxLength: 100 },
            validHours: { type: 'integer', minimum: 1, maximum: 24 * 30, default: 48 },
          },
        },
      },
    },
    async (request, reply) => {
      const event = controller.get(request.params.id);
      const { invite, token } = access.createInvite(event.id, request.body.role, request.body.label, request.body.validHours);

      return reply.status(201).send({ ...invite, url: `${deps.publicOrigin()}/join?invite=${token}` });
    },
  );

  app.get<{ Params: { id: string } }>('/api/events/:id/invites', { schema: { params: idParams } }, async (request) => ({
    invites: access.listInvites(controller.get(request.params.id).id),
  }));

  app.post<{ Params: { id: string } }>('/api/invites/:id/revoke', { schema: { params: idParams } }, async (request) =>
    access.revokeInvite(request.params.id),
  );

  app.get<{ Querystring: { invite?: string; next?: 'watch' | 'present' | 'speak' | 'caption' | 'interpret'; lang?: string } }>(
    '/join',
    {
      config: { access: 'public' },
      schema: {
        querystring: {
          type: 'object',
          required: ['invite'],
          properties: {
            invite: { type: 'string', minLength: 1, maxLength: 2048 },
            // The page to open after signing in, when not the role's own page: the lectern page, for example.
            next: { enum: ['watch', 'present', 'speak', 'caption', 'interpret'] },
            // The page language, passed on to the page, which ignores a language it does not have.
            lang: { type: 'string', maxLength: 8 },
          },
        },
      },
    },
    async (request, reply) => {
      const session = access.redeemInvite(request.query.invite ?? '');

      setSession(reply, session, secure);

      // Each role's link opens its page; the lectern laptop's speaker link adds next=present.
      const page = request.query.next ?? INVITE_PAGES[session.role];
      const lang = request.query.lang ? `?${new URLSearchParams({ lang: request.query.lang })}` : '';

      return reply.redirect(`/${page}${lang}`);
    },
  );

  app.post<{ Params: { id: string }; Body: { code: string } }>(
    '/api/events/:id/access',
    {
      config: { access: 'public' },
      schema: {
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['code'],
          properties: { code: { type: 'string', minLength: 1, maxLength: 64 } },
        },
      },
    },
    async (request, reply) => {
      const session = access.grantAccessCode(request.params.id, request.body.code, clientAddress(request));

      // Staff may watch anyway; replacing their cookie would log them out.
      if (request.principal.role !== 'staff') setSession(reply, session, secure);

      return { accessGranted: true };
    },
  );
}
