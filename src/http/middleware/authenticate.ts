// Authentication for /api: a bearer credential (API key; OAuth tokens plug in through
// `bearerVerifiers`) or the session cookie. Cookie-authenticated writes need X-Requested-With (CSRF).
import type { Context, MiddlewareHandler } from 'hono';
import { setCookie } from 'hono/cookie';
import { parse as parseCookies, serialize, type CookieOptions } from 'hono/utils/cookie';
import type { CallerContext, Source } from '../../auth/context.ts';
import { AppError } from '../../platform/errors.ts';
import { authenticateApiKey, authenticateSession, type AuthFailure } from '../../services/auth/authenticate.ts';
import type { ServiceEnv } from '../../services/env.ts';
import { errorResponse } from '../errors.ts';
import type { AppEnv } from '../types.ts';
import { requestHeader } from '../node-io.ts';

export const SESSION_COOKIE = 'rackd_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export type BearerVerifier = (
  token: string,
  meta: { requestId: string; ip: string; source: Source },
) => Promise<{ ok: true; ctx: CallerContext } | { ok: false; code: AuthFailure } | undefined>;

const MESSAGES: Record<AuthFailure, string> = {
  UNAUTHORIZED: 'Unauthorized',
  EXPIRED_KEY: 'API key has expired',
  LEGACY_API_KEY_UNSUPPORTED: 'API keys without an owning user are no longer accepted; create a new key',
};

const sessionCookieOptions = (expiresAt: string, secure: boolean): CookieOptions => ({
  httpOnly: true,
  secure,
  sameSite: 'Lax',
  path: '/',
  expires: new Date(expiresAt),
  maxAge: Math.max(0, Math.floor((Date.parse(expiresAt) - Date.now()) / 1000)),
});

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: string, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, token, sessionCookieOptions(expiresAt, secure));
}

export function clearSessionCookie(c: Context<AppEnv>, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, '', { httpOnly: true, secure, sameSite: 'Lax', path: '/', maxAge: 0, expires: new Date(0) });
}

/** Parses `Authorization: Bearer <token>`; undefined when absent, '' when malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer[ ]+([\x21-\x7e]+)\s*$/i.exec(header);
  return m ? m[1]! : '';
}

export interface AuthenticateOptions {
  /** Paths under the mount that are reachable without credentials. */
  publicPaths?: ReadonlySet<string>;
  source?: Source;
  /** Tried before API keys, e.g. the OAuth access-token verifier. */
  bearerVerifiers?: BearerVerifier[];
  /** WWW-Authenticate value of a 401, e.g. /mcp's with resource_metadata; `error` set for a bad token. */
  challenge?: (error?: 'invalid_token') => string;
}

export function authenticate(env: ServiceEnv, opts: AuthenticateOptions = {}): MiddlewareHandler<AppEnv> {
  const source = opts.source ?? 'api';
  // RFC 6750 §3.1: error="invalid_token" whenever a bearer credential was sent and refused; no
  // error attribute when none was sent.
  const unauthorized = (c: Context<AppEnv>, code: AuthFailure = 'UNAUTHORIZED', presented = code !== 'UNAUTHORIZED') => {
    const res = errorResponse(c, new AppError(code, MESSAGES[code]));
    const challenge = opts.challenge ?? ((error) => (error ? `Bearer realm="rackd", error="${error}"` : 'Bearer realm="rackd"'));
    res.headers.set('WWW-Authenticate', challenge(presented ? 'invalid_token' : undefined));
    return res;
  };
  return async function authenticateMiddleware(c, next) {
    if (opts.publicPaths?.has(c.req.path)) return next();
    const meta = { requestId: c.get('requestId'), ip: c.get('ip'), source };
    const bearer = bearerToken(requestHeader(c, 'authorization'));
    if (bearer !== undefined) {
      if (!bearer) return unauthorized(c, 'UNAUTHORIZED', true);
      for (const verify of opts.bearerVerifiers ?? []) {
        const r = await verify(bearer, meta);
        if (r) {
          if (!r.ok) return unauthorized(c, r.code, true);
          c.set('caller', r.ctx);
          c.set('authMethod', 'bearer');
          return next();
        }
      }
      const r = authenticateApiKey(env, bearer, meta);
      if (!r.ok) return unauthorized(c, r.code, true);
      c.set('caller', r.ctx);
      c.set('authMethod', 'bearer');
      return next();
    }
    const cookieHeader = requestHeader(c, 'cookie');
    const cookie = cookieHeader ? parseCookies(cookieHeader, SESSION_COOKIE)[SESSION_COOKIE] : undefined;
    if (!cookie) return unauthorized(c);
    const r = await authenticateSession(env, cookie, { ...meta, source: source === 'api' ? 'api' : source });
    if (!r.ok) {
      clearSessionCookie(c, env.config.cookieSecure);
      return unauthorized(c);
    }
    if (!SAFE_METHODS.has(c.req.method) && requestHeader(c, 'x-requested-with') !== 'XMLHttpRequest') {
      return errorResponse(c, new AppError('CSRF_FAILED', 'CSRF validation failed: missing X-Requested-With: XMLHttpRequest header'));
    }
    c.set('caller', r.ctx);
    c.set('authMethod', 'session');
    await next();
    // Sliding expiry: re-issue the cookie so the browser keeps it as long as the server does —
    // unless the route already set it (logout clears it; a re-issue would resurrect it).
    const routeSetCookie = c.res.headers.getSetCookie().some((v) => v.startsWith(`${SESSION_COOKIE}=`));
    if (r.renewedUntil && !routeSetCookie) {
      c.res.headers.append('Set-Cookie', serialize(SESSION_COOKIE, cookie, sessionCookieOptions(r.renewedUntil, env.config.cookieSecure)));
    }
  };
}
