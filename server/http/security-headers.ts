/**
 * Security headers. API answers (JSON, problem+json, documents) carry personal data: never
 * cached (`no-store`) and never content-sniffed into something executable (`nosniff`). The two
 * single-page apps get a Content-Security-Policy that allows only their own scripts: inline
 * styles stay allowed because MUI (back office) and bpmn-js inject style elements at run time.
 */
import type { Context, Next } from 'koa';

export const APP_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export async function apiSecurityHeaders(ctx: Context, next: Next): Promise<void> {
  if (ctx.path === '/api' || ctx.path.startsWith('/api/')) {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'no-store');
  }
  await next();
}
