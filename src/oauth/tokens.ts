// Issuing tokens: the plan of one issuance (its grant and refresh token are stored by the grant
// that decided it, through the OAuth store) and the JWT access token, signed after the
// transaction has committed (jose is async).
import type { ClientRow } from '../services/oauth/internal.ts';
import type { OAuthServer } from './server.ts';

export interface TokenResponseBody {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

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
