import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import { setSession } from './auth-routes.js';

type Page = {
  path: string;
  element: string;
  bundle: string;
  title: string;
  /** Staff pages send everyone else to the login page. */
  staff: boolean;
};

const PAGES: Page[] = [
  { path: '/console', element: 'podium-console-page', bundle: 'console', title: 'Podium – Konsole', staff: true },
  { path: '/watch', element: 'podium-watch-page', bundle: 'watch', title: 'Podium – Zuschauen', staff: false },
  { path: '/login', element: 'podium-login-page', bundle: 'login', title: 'Podium – Anmelden', staff: false },
  // Speakers with an invite and staff publish here; the server refuses anyone else's media.
  { path: '/present', element: 'podium-lectern-page', bundle: 'present', title: 'Podium – Vortrag', staff: false },
  { path: '/speak', element: 'podium-speaker-page', bundle: 'speak', title: 'Podium – Remote-Vortrag', staff: false },
  { path: '/caption', element: 'podium-captioner-page', bundle: 'caption', title: 'Podium – Live-Untertitel', staff: false },
  { path: '/interpret', element: 'podium-interpreter-page', bundle: 'interpret', title: 'Podium – Gebärdensprache', staff: false },
  // Meeting guests join with the link alone; the server checks the access code and the moderator key.
  { path: '/meet', element: 'podium-meeting-page', bundle: 'meet', title: 'Podium – Besprechung', staff: false },
  { path: '/stage', element: 'podium-venue-screen-page', bundle: 'stage', title: 'Podium – Saalbildschirm', staff: true },
];

/** Pages the appliance's own kiosk browser opens; they get a staff session without a password. */
const KIOSK_PAGES = new Set(['/console', '/stage']);

/** A small icon, so that browsers do not ask for /favicon.ico in vain. */
const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#b91c1c"/>' +
  '<circle cx="8" cy="8" r="4" fill="#fff"/></svg>';

/** Returns the checkout or install root: the nearest directory above this file with a package.json. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));

  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);

    if (parent === dir) throw new Error('package.json not found above the Podium code');
    dir = parent;
  }

  return dir;
}

function pageHtml(page: Page): string {
  // German is the default language; the page switches lang and text at run time.
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/podium.css">
</head>
<body>
<${page.element}></${page.element}>
<script type="module" src="/assets/${page.bundle}.js"></script>
</body>
</html>
`;
}

/**
 * Serves the pages and their bundles (built by scripts/build-web.mjs into
 * dist/web-ui). A staff page opened by anyone but staff redirects to the
 * login page, except that the kiosk gets a staff session.
 */
export async function registerPageRoutes(app: FastifyInstance, access: AccessControl, secure: boolean): Promise<void> {
  const assets = join(projectRoot(), 'dist', 'web-ui');

  if (!existsSync(join(assets, 'watch.js'))) {
    app.log.warn({ assets }, 'web UI bundles missing; run npm run build');
  }
  await app.register(fastifyStatic, { logLevel: 'warn', root: assets, prefix: '/assets/', decorateReply: false });

  for (const page of PAGES) {
    const html = pageHtml(page);

    app.get(page.path, { config: { access: 'public' } }, async (request, reply) => {
      if (page.staff && request.principal.role !== 'staff') {
        const kiosk =
          KIOSK_PAGES.has(page.path) &&
          access.isKioskRequest({ secure, remoteAddress: request.socket.remoteAddress, headers: request.headers });

        if (!kiosk) return reply.redirect(`/login?next=${encodeURIComponent(page.path)}`);
        setSession(reply, access.kioskSession(), secure);
      }

      return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html);
    });
  }
  app.get('/favicon.svg', { config: { access: 'public' } }, async (_request, reply) =>
    reply.type('image/svg+xml').header('Cache-Control', 'public, max-age=86400').send(FAVICON),
  );
  app.get('/favicon.ico', { config: { access: 'public' } }, async (_request, reply) => reply.redirect('/favicon.svg'));
  app.get('/', { config: { access: 'public' } }, async (_request, reply) => reply.redirect('/watch'));
}
