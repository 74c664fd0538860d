// Security headers on every response, including errors and 404s.
import type { Context } from 'hono';
import { outgoingOf } from '../node-io.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export const PERMISSIONS_POLICY = 'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()';

/** The headers every response carries; a route may replace only CSP (and Cache-Control on /api). */
const FIXED_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['Permissions-Policy', PERMISSIONS_POLICY],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
] as const);
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Built once; per request only copied onto the response. On node they go on the `ServerResponse`
 * before the route runs (node-io.ts): the adapter's `writeHead` merges the route's own headers over
 * them, so a route's CSP or Cache-Control wins, and no undici `Headers` is built to carry them.
 * Routes never set the fixed ones (the OAuth authorization page sets X-Frame-Options: DENY too);
 * tests/security/headers.test.ts holds every surface to these values. False when there is no node
 * response (`app.request()`): then `finishSecurityHeaders` puts them on the finished Response.
 */
export function startSecurityHeaders(c: Context, api: boolean): boolean {
  const outgoing = outgoingOf(c);
  if (!outgoing) return false;
  for (const [k, v] of FIXED_HEADERS) outgoing.setHeader(k, v);
  outgoing.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  if (api) outgoing.setHeader('Cache-Control', 'no-store');
  if ((outgoing.socket as { encrypted?: boolean } | null)?.encrypted) outgoing.setHeader('Strict-Transport-Security', HSTS);
  return true;
}

export function finishSecurityHeaders(c: Context, api: boolean): void {
  const h = c.res.headers;
  for (const [k, v] of FIXED_HEADERS) h.set(k, v);
  if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  if (api && !h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
  if (c.req.url.startsWith('https:')) h.set('Strict-Transport-Security', HSTS);
}
