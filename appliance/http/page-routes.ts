import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Pages: path, custom element and bundle name. */
const PAGES = [
  { path: '/console', element: 'podium-console-page', bundle: 'console', title: 'Podium – Konsole' },
  { path: '/watch', element: 'podium-watch-page', bundle: 'watch', title: 'Podium – Zuschauen' },
] as const;

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

function pageHtml(page: (typeof PAGES)[number]): string {
  // German is the default language; the page switches lang and text at run time.
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
<link rel="stylesheet" href="/assets/podium.css">
</head>
<body>
<${page.element}></${page.element}>
<script type="module" src="/assets/${page.bundle}.js"></script>
</body>
</html>
`;
}

/** Serves the pages and their bundles (built by scripts/build-web.mjs into dist/web-ui). */
export async function registerPageRoutes(app: FastifyInstance): Promise<void> {
  const assets = join(projectRoot(), 'dist', 'web-ui');

  if (!existsSync(join(assets, 'watch.js'))) {
    app.log.warn({ assets }, 'web UI bundles missing; run npm run build');
  }
  await app.register(fastifyStatic, { root: assets, prefix: '/assets/', decorateReply: false });

  for (const page of PAGES) {
    const html = pageHtml(page);

    app.get(page.path, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(html),
    );
  }
  app.get('/', async (_request, reply) => reply.redirect('/watch'));
}
