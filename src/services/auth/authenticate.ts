// Turns a session cookie or a bearer API key into a caller context. Refusals are data
// (a reason code) so the HTTP layer can answer with the right 401 code.
import { eq, sql } from 'drizzle-orm';
import type { CallerContext } from '../../auth/context.ts';
import { apiKeys } from '../../db/schema/index.ts';
import { safeEqual, sha256Hex } from '../../platform/ids.ts';
import type { ServiceEnv } from '../env.ts';
import { generationCache } from '../../db/generation.ts';
import { perDb } from '../../db/prepared.ts';
import { findUser } from '../users/internal.ts';
import { expandScopes } from '../../auth/scopes.ts';
import { userContext, type RequestMeta } from './context.ts';
import { syncWrite } from '../../db/sync-write.ts';

export const API_KEY_PREFIX = 'rackd_';
const LAST_USED_THROTTLE_MS = 60_000;
// Prepared once: this lookup runs on every API-key request (bench/auth-me).
const apiKeyByHash = perDb((db) => db.select().from(apiKeys).where(eq(apiKeys.keyHash, sql.placeholder('keyHash'))).prepare());

export type AuthFailure = 'UNAUTHORIZED' | 'EXPIRED_KEY' | 'LEGACY_API_KEY_UNSUPPORTED';
export type AuthResult<T> = { ok: true; ctx: CallerContext } & T | { ok: false; code: AuthFailure };

export interface SessionAuth {
  /** Set when the session slid: the cookie must be re-issued with this expiry. */
  renewedUntil?: string;
}

export async function authenticateSession(env: ServiceEnv, token: string, meta: RequestMeta): Promise<AuthResult<SessionAuth>> {
  if (!token || token.length > 256) return { ok: false, code: 'UNAUTHORIZED' };
  const tokenHash = sha256Hex(token);
  const rec = await env.sessions.get(tokenHash);
  const now = env.clock.now();
  if (!rec || !safeEqual(rec.tokenHash, tokenHash)) return { ok: false, code: 'UNAUTHORIZED' };
  // `!(x > now)` so that an unparsable expiry fails closed instead of never expiring.
  if (!(Date.parse(rec.expiresAt) > now.getTime())) {
    await env.sessions.delete(tokenHash);
    return { ok: false, code: 'UNAUTHORIZED' };
  }
  const user = findUser(env.db, rec.userId);
  if (!user || !user.isActive) return { ok: false, code: 'UNAUTHORIZED' };
  // A login racing a password change could create its session after the change deleted the
  // user's sessions; a session older than the password is never valid.
  if (user.passwordChangedAt && rec.createdAt < user.passwordChangedAt) {
    await env.sessions.delete(tokenHash);
    return { ok: false, code: 'UNAUTHORIZED' };
  }
  const ctx = userContext(env, { kind: 'session', userId: user.id, username: user.username, sessionHash: tokenHash }, meta);
  // Sliding expiry, written at most once a minute per session.
  const ttl = env.config.session.ttlMs;
  const remaining = Date.parse(rec.expiresAt) - now.getTime();
  if (ttl - remaining > Math.min(60_000, ttl / 10)) {
    const renewedUntil = new Date(now.getTime() + ttl).toISOString();
    await env.sessions.extend(tokenHash, renewedUntil);
    return { ok: true, ctx, renewedUntil };
  }
  return { ok: true, ctx };
}

/**
 * What a verified API key resolves to, cached by the SHA-256 of the presented key (the same
 * digest the table is indexed by) under the database generation it was read in
 * (`dataGeneration`): revoking or deleting the key, disabling or deleting its owner, changing the
 * owner's roles or a role's permissions, the last-use stamp — every one of them is a write, which
 * moves the generation and drops the whole cache before the next request is served. Expiry is a
 * matter of time, not of writes, so it is checked on every request against the cached expiry.
 * Only successes are cached (a stream of wrong keys cannot fill it) and only outside transactions.
 */
interface VerifiedKey {
  keyId: string;
  userId: string;
  username: string;
  scopes: string[] | undefined;
  expiresAtMs: number | undefined;
  lastUsedAtMs: number | undefined;
  permissions: ReadonlySet<string>;
  isAdmin: boolean;
}

const keyCache = generationCache<VerifiedKey>(10_000);

const contextOf = (k: VerifiedKey, meta: RequestMeta): CallerContext => ({
  actor: { kind: 'api_key', userId: k.userId, username: k.username, keyId: k.keyId, ...(k.scopes ? { scopes: k.scopes } : {}) },
  permissions: k.permissions,
  isAdmin: k.isAdmin,
  ...meta,
});

export function authenticateApiKey(env: ServiceEnv, key: string, meta: RequestMeta): AuthResult<object> {
  // No prefix check: a legacy key may predate the `rackd_` prefix, and it must still be looked up
  // so that it is refused with LEGACY_API_KEY_UNSUPPORTED rather than a bare UNAUTHORIZED.
  if (!key || key.length > 256) return { ok: false, code: 'UNAUTHORIZED' };
  const keyHash = sha256Hex(key);
  const now = env.clock.now().getTime();
  // Read before the rows: a commit landing in between moves it again, so the next request reloads.
  const cache = keyCache(env.db);
  let verified = cache?.get(keyHash);
  if (!verified) {
    const row = apiKeyByHash(env.db).get({ keyHash });
    if (!row || !safeEqual(row.keyHash, keyHash)) return { ok: false, code: 'UNAUTHORIZED' };
    if (row.expiresAt !== null && !(Date.parse(row.expiresAt) > now)) return { ok: false, code: 'EXPIRED_KEY' };
    if (!row.userId) return { ok: false, code: 'LEGACY_API_KEY_UNSUPPORTED' };
    const user = findUser(env.db, row.userId);
    if (!user || !user.isActive) return { ok: false, code: 'UNAUTHORIZED' };
    // A scoped key acts with the owner's current permissions ∩ its scopes.
    const scopes = row.scopes === null ? undefined : row.scopes.split(' ');
    const actor = { kind: 'api_key' as const, userId: user.id, username: user.username, keyId: row.id, ...(scopes ? { scopes } : {}) };
    const ctx = scopes ? userContext(env, actor, meta, expandScopes(scopes), scopes) : userContext(env, actor, meta);
    verified = {
      keyId: row.id,
      userId: user.id,
      username: user.username,
      scopes,
      expiresAtMs: row.expiresAt === null ? undefined : Date.parse(row.expiresAt),
      lastUsedAtMs: row.lastUsedAt ? Date.parse(row.lastUsedAt) : undefined,
      permissions: ctx.permissions,
      isAdmin: ctx.isAdmin,
    };
    cache?.set(keyHash, verified);
  } else if (verified.expiresAtMs !== undefined && !(verified.expiresAtMs > now)) {
    return { ok: false, code: 'EXPIRED_KEY' };
  }
  if (verified.lastUsedAtMs === undefined || !(now - verified.lastUsedAtMs <= LAST_USED_THROTTLE_MS)) {
    // A write, queued behind others and not awaited: the request does not wait for bookkeeping.
    // It moves the generation, so the next request re-reads the key (once a minute).
    const keyId = verified.keyId;
    syncWrite(env, (tx) => tx.update(apiKeys).set({ lastUsedAt: new Date(now).toISOString() }).where(eq(apiKeys.id, keyId)).run()).catch((err: unknown) =>
      env.logger.warn('could not record when an API key was last used', { key: keyId, err: err as Error }),
    );
    verified.lastUsedAtMs = now;
  }
  return { ok: true, ctx: contextOf(verified, meta) };
}
