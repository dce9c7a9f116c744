/** Serves the built back office (backoffice/dist) at `/`, with the SPA fallback to index.html. */
import fs from 'node:fs';
import path from 'node:path';
import type { Context, Next } from 'koa';
import serve from 'koa-static';
import { projectRoot } from '../config/config';
import { APP_CONTENT_SECURITY_POLICY } from './security-headers';

export function backofficeStatic(distDir = path.join(projectRoot, 'backoffice', 'dist')) {
  const files = serve(distDir, { index: 'index.html', maxage: 0, gzip: false, brotli: false });
  return async (ctx: Context, next: Next) => {
    if (ctx.path.startsWith('/api') || !['GET', 'HEAD'].includes(ctx.method)) return next();
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('Content-Security-Policy', APP_CONTENT_SECURITY_POLICY);
    await files(ctx, async () => {});
    if (ctx.body !== undefined && ctx.body !== null) {
      // hashed assets may be cached for long; index.html never
      if (ctx.path.startsWith('/assets/')) ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      return;
    }
    const index = path.join(distDir, 'index.html');
    if (!fs.existsSync(index)) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'Das Backoffice ist nicht gebaut: npm run build:backoffice';
      return;
    }
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = fs.createReadStream(index);
  };
}
