// Bundle the web pages (lit, mediasoup-client, hls.js) with esbuild into
// dist/web-ui, one bundle per page.
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'web-ui');

await mkdir(outdir, { recursive: true });
await build({
  entryPoints: {
    console: join(root, 'web-ui/entries/console.ts'),
    watch: join(root, 'web-ui/entries/watch.ts'),
    login: join(root, 'web-ui/entries/login.ts'),
    present: join(root, 'web-ui/entries/present.ts'),
    speak: join(root, 'web-ui/entries/speak.ts'),
    caption: join(root, 'web-ui/entries/caption.ts'),
    interpret: join(root, 'web-ui/entries/interpret.ts'),
    stage: join(root, 'web-ui/entries/stage.ts'),
    meet: join(root, 'web-ui/entries/meet.ts'),
  },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  sourcemap: true,
  minify: true,
  outdir,
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'warning',
});
await copyFile(join(root, 'web-ui/podium.css'), join(outdir, 'podium.css'));
