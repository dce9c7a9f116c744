/**
 * Serves the built residents' portal (portal/dist) at `/portal/`, with the SPA fallback to its
 * index.html for every client-side route (e.g. /portal/gesuche/LU-2026-000001 from an e-mail).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Context, Next } from 'koa';
import serve from 'koa-static';
import { projectRoot } from '../config/config';
import { APP_CONTENT_SECURITY_POLICY } from './security-headers';

const PREFIX = '/portal';

export function portalStatic(distDir = path.join(projectRoot, 'portal', 'dist')) {
  const files = serve(distDir, { index: 'index.html', maxage: 0, gzip: false, brotli: false });
  return async (ctx: Context, next: Next) => {
    if (ctx.path !== PREFIX && !ctx.path.startsWith(`${PREFIX}/`)) return next();
    if (!['GET', 'HEAD'].includes(ctx.method)) return next();
    if (ctx.path === PREFIX) {
      ctx.redirect(`${PREFIX}/`);
      return;
    }
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    // the status link carries the access token in the fragment; no referrer leaves the site anyway
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('Content-Security-Policy', APP_CONTENT_SECURITY_POLICY);
    const inner = ctx.path.slice(PREFIX.length);
    const original = ctx.path;
    ctx.path = inner;
    try {
      await files(ctx, async () => {});
    } finally {
      ctx.path = original;
    }
    if (ctx.body !== undefined && ctx.body !== null) {
      // hashed assets may be cached for long; index.html never
      if (inner.startsWith('/assets/')) ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      else ctx.set('Cache-Control', 'no-cache');
      return;
    }
    if (inner.startsWith('/assets/')) {
      ctx.status = 404;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'Nicht gefunden';
      return;
    }
    const index = path.join(distDir, 'index.html');
    if (!fs.existsSync(index)) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'Das Einwohnerportal ist nicht gebaut: npm run build:portal';
      return;
    }
    ctx.status = 200;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = fs.createReadStream(index);
  };
}
