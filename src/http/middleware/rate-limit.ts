// Fixed-window rate limits per client IP: a general budget for every route and a tighter shared
// budget for login and the other sensitive routes. Headers on every response; 429 + Retry-After.
import type { Context, MiddlewareHandler } from 'hono';
import type { RateLimitHit, RateLimitStore } from '../../auth/rate-limit-store.ts';
import { formatCidr, maskOf, parseIp } from '../../net/ip.ts';
import { AppError } from '../../platform/errors.ts';
import { errorResponse } from '../errors.ts';
import { setResponseHeader } from '../node-io.ts';
import type { AppEnv } from '../types.ts';

export interface RateLimitOptions {
  enabled: boolean;
  requests: number;
  windowMs: number;
  loginRequests: number;
  loginWindowMs: number;
}

/** The routes behind the login limiter (Rackd §5.6), as method + path pattern. */
export const SENSITIVE_ROUTES: ReadonlyArray<readonly [string, RegExp]> = [
  ['POST', /^\/api\/auth\/login$/],
  ['POST', /^\/api\/setup$/],
  ['POST', /^\/api\/keys$/],
  ['*', /^\/api\/devices\/bulk(\/tags)?$/],
  ['*', /^\/api\/networks\/bulk$/],
  ['POST', /^\/api\/users$/],
  ['POST', /^\/api\/users\/[^/]+\/(password|reset-password)$/],
  ['POST', /^\/api\/oauth\/clients$/],
  ['POST', /^\/mcp-oauth\/(register|authorize|token|revoke)$/],
];

export const isSensitive = (method: string, path: string): boolean =>
  SENSITIVE_ROUTES.some(([m, re]) => (m === '*' ? method !== 'GET' && method !== 'HEAD' : m === method) && re.test(path));

const EXEMPT = new Set(['/healthz', '/readyz']);

/** IPv6 clients usually hold a whole /64, so they share one budget per /64. */
export function rateLimitKey(ip: string): string {
  const parsed = parseIp(ip);
  if (!parsed) return ip || 'unknown';
  if (parsed.family === 4) return ip;
  return `${formatCidr({ family: 6, network: parsed.value & maskOf(6, 64), prefix: 64 })}`;
}

function setHeaders(c: Context<AppEnv>, limit: number, hit: RateLimitHit): void {
  setResponseHeader(c, 'X-RateLimit-Limit', String(limit));
  setResponseHeader(c, 'X-RateLimit-Remaining', String(Math.max(0, limit - hit.count)));
  setResponseHeader(c, 'X-RateLimit-Reset', String(Math.ceil(hit.resetAt / 1000)));
}

function tooMany(c: Context<AppEnv>, code: 'RATE_LIMIT_EXCEEDED' | 'LOGIN_RATE_LIMIT_EXCEEDED', limit: number, hit: RateLimitHit): Response {
  const retry = Math.max(1, Math.ceil((hit.resetAt - Date.now()) / 1000));
  const message = code === 'RATE_LIMIT_EXCEEDED' ? 'Rate limit exceeded' : 'Too many login attempts. Please try again later.';
  const res = errorResponse(c, new AppError(code, message, { headers: { 'Retry-After': String(retry) } }));
  res.headers.set('X-RateLimit-Limit', String(limit));
  res.headers.set('X-RateLimit-Remaining', '0');
  res.headers.set('X-RateLimit-Reset', String(Math.ceil(hit.resetAt / 1000)));
  return res;
}

export function rateLimit(store: RateLimitStore, opts: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    if (EXEMPT.has(c.req.path)) return next();
    const ip = rateLimitKey(c.get('ip'));
    let general: RateLimitHit | undefined;
    if (opts.enabled) {
      general = await store.hit(`g:${ip}`, opts.windowMs);
      if (general.count > opts.requests) return tooMany(c, 'RATE_LIMIT_EXCEEDED', opts.requests, general);
    }
    let sensitive: RateLimitHit | undefined;
    if (isSensitive(c.req.method, c.req.path)) {
      sensitive = await store.hit(`l:${ip}`, opts.loginWindowMs);
      if (sensitive.count > opts.loginRequests) return tooMany(c, 'LOGIN_RATE_LIMIT_EXCEEDED', opts.loginRequests, sensitive);
    }
    await next();
    // The tighter budget is the one the client must pace itself by.
    if (sensitive) setHeaders(c, opts.loginRequests, sensitive);
    else if (general) setHeaders(c, opts.requests, general);
  };
}
