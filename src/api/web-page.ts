/**
 * Serves the web planner (the Vite build of web/, in dist/web) at `/`. Only the built files are
 * routed (no wildcard), so every other path still reaches the API's 404 problem. Hashed assets
 * are cached for a year; index.html is revalidated and carries a Content-Security-Policy that
 * lets the page talk to this server only — the page works offline by construction.
 * When the page is not built, `/` says how to build it instead of a bare 404.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** src/api/ and dist/api/ both sit two levels below the package root. */
export function defaultWebDir(): string {
  return fileURLToPath(new URL('../../dist/web/', import.meta.url));
}

/**
 * Everything from this origin; MapLibre runs its worker from a blob: URL and draws images from
 * data: and blob: URLs; styles set by script need 'unsafe-inline' for style attributes.
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = (dir: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Corridor — web planner not built</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>The web planner is not built</h1>
<p>This server found no built page in <code>${dir.replace(/[<>&]/g, '')}</code>.
Run <code>npm run build:web</code> (or start with <code>npm start</code>, which builds it when missing),
then reload.</p>
<p>The HTTP API works without it: see <a href="/docs">/docs</a> and <a href="/openapi.json">/openapi.json</a>.</p>
</body></html>`;

export async function registerWebPage(app: FastifyInstance, dir = defaultWebDir()): Promise<void> {
  if (!existsSync(`${dir}/index.html`)) {
    app.get('/', async (_req, reply) =>
      reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT(dir)),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    decorateReply: false,
    cacheControl: false,
    setHeaders(res, path) {
      if (/[\\/]assets[\\/]/.test(path)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      else res.setHeader('cache-control', 'no-cache');
      if (path.endsWith('.html')) {
        res.setHeader('content-security-policy', WEB_CSP);
        res.setHeader('referrer-policy', 'no-referrer');
      }
    },
  });
}
