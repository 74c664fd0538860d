// The storage of the OAuth authorization server behind a small interface: the protocol code in
// src/oauth/ decides (RFC rules, replay handling, PKCE) and calls these reads and writes; it never
// touches the database itself. Writes run inside `write`, one synchronous IMMEDIATE transaction,
// so what one protocol step changes (a code used, a grant and its refresh token, the webhook
// event of a registration) commits together or not at all.
import { eq } from 'drizzle-orm';
import type { CallerContext } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { oauthClients, oauthCodes, oauthGrants, oauthRefreshTokens } from '../../db/schema/index.ts';
import { newId, randomToken, sha256Hex } from '../../platform/ids.ts';
import type { ServiceEnv } from '../env.ts';
import { eventSink, type EventData } from '../events/outbox.ts';
import { accessOfUser, findUser, type UserRow } from '../users/internal.ts';
import { findClientByClientId, findGrant, REFRESH_TOKEN_PREFIX, revokeGrant, touchClient, type ClientRow, type GrantRow } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export type CodeRow = typeof oauthCodes.$inferSelect;
export type RefreshTokenRow = typeof oauthRefreshTokens.$inferSelect;
export type NewClient = Omit<ClientRow, 'lastUsedAt'> & { lastUsedAt?: string | null };
export type CimdFields = Pick<ClientRow, 'name' | 'redirectUris' | 'grantTypes' | 'responseTypes' | 'scope' | 'clientUri' | 'logoUri' | 'updatedAt'>;

export interface NewGrant {
  id: string;
  clientRowId: string;
  userId: string;
  grantType: GrantRow['grantType'];
  scope: string;
  resource: string;
  nowMs: number;
  expiresAtMs: number;
}

export interface OAuthReads {
  clientByClientId(clientId: string): ClientRow | undefined;
  grant(id: string): GrantRow | undefined;
  user(id: string): UserRow | undefined;
  /** The user's current permission names (their roles' grants). */
  permissionsOf(userId: string): readonly string[];
  /** An authorization code by its plaintext (looked up by SHA-256). */
  code(code: string): CodeRow | undefined;
  /** A refresh token by its plaintext (looked up by SHA-256). */
  refreshToken(token: string): RefreshTokenRow | undefined;
}

export interface OAuthWrites extends OAuthReads {
  insertClient(row: NewClient): void;
  /** Records (or refreshes) a metadata-document client; returns its row. */
  upsertCimdClient(clientId: string, fields: CimdFields): ClientRow;
  touchClient(rowId: string, now: string): void;
  /** Stores a new code by its hash. */
  insertCode(code: string, row: Omit<CodeRow, 'codeHash' | 'usedAt'>): void;
  markCodeUsed(codeHash: string, now: string): void;
  insertGrant(g: NewGrant): void;
  /** Moves the grant's "last valid token" horizon and its last-use time. */
  extendGrant(grantId: string, nowMs: number, expiresAtMs: number): void;
  /** Revokes the grant (and so every token of it); returns 1 when it was live. */
  revokeGrant(grantId: string, reason: string, now: string): number;
  /** Stores a new refresh token of the grant and returns the plaintext (shown once). */
  issueRefreshToken(grantId: string, nowMs: number, ttlMs: number): string;
  rotateRefreshToken(id: string, now: string): void;
  /** Publishes an event of this write in its transaction (the outbox). */
  publish(ctx: CallerContext, type: string, data: EventData): void;
}

export interface OAuthStore extends OAuthReads {
  /** Runs the synchronous `fn` as one write transaction (queued behind other writes). */
  write<T>(fn: (w: OAuthWrites) => T): Promise<T>;
}

const iso = (ms: number) => new Date(ms).toISOString();

function reads(db: DbOrTx): OAuthReads {
  return {
    clientByClientId: (clientId) => findClientByClientId(db, clientId),
    grant: (id) => findGrant(db, id),
    user: (id) => findUser(db, id),
    permissionsOf: (userId) => accessOfUser(db, userId).permissions,
    code: (code) => db.select().from(oauthCodes).where(eq(oauthCodes.codeHash, sha256Hex(code))).get(),
    refreshToken: (token) => db.select().from(oauthRefreshTokens).where(eq(oauthRefreshTokens.tokenHash, sha256Hex(token))).get(),
  };
}

function writes(env: ServiceEnv, tx: DbOrTx): OAuthWrites {
  return {
    ...reads(tx),
    insertClient: (row) => void tx.insert(oauthClients).values({ lastUsedAt: null, ...row }).run(),
    upsertCimdClient(clientId, fields) {
      tx.insert(oauthClients)
        .values({ id: newId(), clientId, kind: 'cimd', createdAt: fields.updatedAt, secretHash: null, ownerUserId: null, applicationType: null, lastUsedAt: null, tokenEndpointAuthMethod: 'none', ...fields })
        .onConflictDoUpdate({ target: oauthClients.clientId, set: fields })
        .run();
      return findClientByClientId(tx, clientId)!;
    },
    touchClient: (rowId, now) => touchClient(tx, rowId, now),
    insertCode: (code, row) => void tx.insert(oauthCodes).values({ ...row, codeHash: sha256Hex(code) }).run(),
    markCodeUsed: (codeHash, now) => void tx.update(oauthCodes).set({ usedAt: now }).where(eq(oauthCodes.codeHash, codeHash)).run(),
    insertGrant(g) {
      tx.insert(oauthGrants)
        .values({
          id: g.id,
          clientId: g.clientRowId,
          userId: g.userId,
          grantType: g.grantType,
          scope: g.scope,
          resource: g.resource,
          createdAt: iso(g.nowMs),
          lastUsedAt: iso(g.nowMs),
          expiresAt: iso(g.expiresAtMs),
        })
        .run();
    },
    extendGrant: (grantId, nowMs, expiresAtMs) =>
      void tx.update(oauthGrants).set({ lastUsedAt: iso(nowMs), expiresAt: iso(expiresAtMs) }).where(eq(oauthGrants.id, grantId)).run(),
    revokeGrant: (grantId, reason, now) => revokeGrant(tx, grantId, reason, now),
    issueRefreshToken(grantId, nowMs, ttlMs) {
      const token = REFRESH_TOKEN_PREFIX + randomToken(32);
      tx.insert(oauthRefreshTokens).values({ id: newId(), tokenHash: sha256Hex(token), grantId, createdAt: iso(nowMs), expiresAt: iso(nowMs + ttlMs) }).run();
      return token;
    },
    rotateRefreshToken: (id, now) => void tx.update(oauthRefreshTokens).set({ rotatedAt: now }).where(eq(oauthRefreshTokens.id, id)).run(),
    publish: (ctx, type, data) => eventSink(env, ctx).publish(tx, type, data),
  };
}

export function oauthStore(env: ServiceEnv): OAuthStore {
  return {
    ...reads(env.db),
    write: (fn) => syncWrite(env, (tx) => fn(writes(env, tx))),
  };
}
