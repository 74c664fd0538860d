// Fixed-window rate limits per client IP: a general budget for every route and a tighter shared
// budget for login and the other sensitive routes. Headers on every response; 429 + Retry-After.
import type { Context } from 'hono';
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

/** The budget a response reports in its X-RateLimit-* headers. */
export interface RateLimitVerdict {
  limit: number;
  hit: RateLimitHit;
}

export function setRateLimitHeaders(c: Context<AppEnv>, { limit, hit }: RateLimitVerdict): void {
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

export type RateLimitOutcome = Response | RateLimitVerdict | undefined;

/**
 * Counts the request against its client's budgets: a 429 Response when one is spent, else the
 * budget the response should report (the tighter one when both apply), or undefined when none
 * applies. Synchronous with the in-process store, so the common request awaits nothing here.
 */
export function rateLimiter(store: RateLimitStore, opts: RateLimitOptions): (c: Context<AppEnv>) => RateLimitOutcome | Promise<RateLimitOutcome> {
  const sensitiveStep = (c: Context<AppEnv>, hit: RateLimitHit): RateLimitOutcome =>
    hit.count > opts.loginRequests ? tooMany(c, 'LOGIN_RATE_LIMIT_EXCEEDED', opts.loginRequests, hit) : { limit: opts.loginRequests, hit };
  const generalStep = (c: Context<AppEnv>, ip: string, general: RateLimitHit | undefined): RateLimitOutcome | Promise<RateLimitOutcome> => {
    if (general && general.count > opts.requests) return tooMany(c, 'RATE_LIMIT_EXCEEDED', opts.requests, general);
    if (!isSensitive(c.req.method, c.req.path)) return general ? { limit: opts.requests, hit: general } : undefined;
    const sensitive = store.hit(`l:${ip}`, opts.loginWindowMs);
    return sensitive instanceof Promise ? sensitive.then((hit) => sensitiveStep(c, hit)) : sensitiveStep(c, sensitive);
  };
  return (c) => {
    if (EXEMPT.has(c.req.path)) return undefined;
    const ip = rateLimitKey(c.get('ip'));
    if (!opts.enabled) return generalStep(c, ip, undefined);
    const general = store.hit(`g:${ip}`, opts.windowMs);
    return general instanceof Promise ? general.then((hit) => generalStep(c, ip, hit)) : generalStep(c, ip, general);
  };
}
