/**
 * Serves the web app (`ui/dist`, built by `npm run build:ui`) at `/`: its static files, and
 * `index.html` for every other path that is not the API, so client-side routes such as
 * `/verify/LIC-…` (opened from a certificate's QR code) load the app. Without a build, `/` answers
 * with a short page saying how to build it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { newRouter } from './openapi';

/** Where `vite build` writes the app. */
export const UI_DIST = fileURLToPath(new URL('../../../ui/dist', import.meta.url));

/** Paths that belong to the API and never fall back to the app. */
const API_PATH = /^\/(api|auth)(\/|$)|^\/(health|openapi\.json|docs)$/;

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Web UI not built</title></head>
<body><h1>The web UI is not built</h1><p>Run <code>npm run build:ui</code> (or <code>npm start</code>, which builds it first), then reload.</p>
<p>The API is running: see <a href="/docs">/docs</a> and <a href="/health">/health</a>.</p></body></html>`;

/** The router serving the app; mount it last, after the API routers. */
export function staticUiRouter(distDir: string = UI_DIST) {
  const router = newRouter();
  // serveStatic resolves `root` against the working directory, so pass it relative to it.
  const root = relative(process.cwd(), distDir) || '.';
  // Read on each request (a small file): a rebuild while the gateway runs must not leave it
  // serving an index.html that names assets the build deleted.
  const indexHtml = () => readFile(join(distDir, 'index.html'), 'utf8');

  router.use('/assets/*', async (c, next) => {
    await next();
    // Vite names assets by content hash: they never change under the same name.
    if (c.res.status === 200) c.res.headers.set('cache-control', 'public, max-age=31536000, immutable');
  });
  router.use('*', async (c, next) => {
    if (API_PATH.test(c.req.path) || !existsSync(join(distDir, 'index.html'))) return next();
    return serveStatic({ root })(c, next);
  });
  router.get('*', async (c, next) => {
    // API paths go on to the app's own handlers and its JSON not-found answer.
    if (API_PATH.test(c.req.path)) return next();
    if (!existsSync(join(distDir, 'index.html'))) return c.html(NOT_BUILT, c.req.path === '/' ? 200 : 404);
    // A path with a file extension that was not found is a missing file, not a page of the app.
    if (/\.[a-z0-9]+$/i.test(c.req.path)) return c.json({ error: { code: 'NOT_FOUND', message: `no file ${c.req.path}`, details: {} } }, 404);
    c.header('cache-control', 'no-cache');
    return c.html(await indexHtml());
  });
  return router;
}
