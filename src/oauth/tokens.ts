// Issuing tokens: the JWT access token (signed outside any transaction: jose is async), the
// random refresh token (stored as SHA-256 only) and the grant row the two belong to.
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { oauthGrants, oauthRefreshTokens } from '../db/schema/index.ts';
import { newId, randomToken, sha256Hex } from '../platform/ids.ts';
import { REFRESH_TOKEN_PREFIX, type ClientRow } from '../services/oauth/internal.ts';
import type { OAuthServer } from './server.ts';

export interface TokenResponseBody {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The plan of one issuance, fixed inside the transaction and signed after it commits. */
export interface Issuance {
  grantId: string;
  userId: string;
  client: ClientRow;
  scope: string;
  jti: string;
  issuedAtMs: number;
  refreshToken?: string;
}

export function accessExpiryMs(server: OAuthServer, nowMs: number): number {
  return (Math.floor(nowMs / 1000) + Math.ceil(server.env.config.oauth.accessTokenTtlMs / 1000)) * 1000;
}

export function insertGrant(
  tx: DbOrTx,
  g: { id: string; clientRowId: string; userId: string; grantType: 'authorization_code' | 'client_credentials'; scope: string; resource: string; nowMs: number; expiresAtMs: number },
): void {
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
}

/** Stores a new refresh token of the grant and returns the plaintext (shown once). */
export function insertRefreshToken(tx: DbOrTx, grantId: string, nowMs: number, ttlMs: number): string {
  const token = REFRESH_TOKEN_PREFIX + randomToken(32);
  tx.insert(oauthRefreshTokens)
    .values({ id: newId(), tokenHash: sha256Hex(token), grantId, createdAt: iso(nowMs), expiresAt: iso(nowMs + ttlMs) })
    .run();
  return token;
}

/** Moves the grant's "last valid token" horizon and last-use time. */
export function extendGrant(tx: DbOrTx, grantId: string, nowMs: number, expiresAtMs: number): void {
  tx.update(oauthGrants).set({ lastUsedAt: iso(nowMs), expiresAt: iso(expiresAtMs) }).where(eq(oauthGrants.id, grantId)).run();
}

export async function signIssuance(server: OAuthServer, i: Issuance): Promise<TokenResponseBody> {
  const urls = server.urls();
  const ttl = server.env.config.oauth.accessTokenTtlMs;
  // iat is rounded down, so the lifetime is rounded up: a token never lives less than the TTL.
  const iat = Math.floor(i.issuedAtMs / 1000);
  const exp = iat + Math.ceil(ttl / 1000);
  const signer = await server.signer();
  const accessToken = await signer.sign({
    iss: urls.issuer,
    sub: i.userId,
    aud: urls.resource,
    client_id: i.client.clientId,
    scope: i.scope,
    jti: i.jti,
    fid: i.grantId,
    iat,
    exp,
  });
  const body: TokenResponseBody = { access_token: accessToken, token_type: 'Bearer', expires_in: exp - iat, scope: i.scope };
  if (i.refreshToken) body.refresh_token = i.refreshToken;
  return body;
}
