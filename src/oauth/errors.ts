// The authorization server's own RFC-shaped errors (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 7009,
// RFC 8707): `{error, error_description}` bodies, never the REST envelope, never cached.
import type { Context } from 'hono';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'unsupported_token_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'server_error'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata';

export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    /** invalid_client is 401; everything else 400 unless said otherwise. */
    readonly status: 400 | 401 | 403 | 500 = code === 'invalid_client' ? 401 : 400,
    /** Set when the client authenticated with HTTP Basic: the 401 then carries a Basic challenge. */
    readonly basicChallenge = false,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export function noStore(c: Context): void {
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
}

export function oauthErrorResponse(c: Context, err: OAuthError): Response {
  noStore(c);
  if (err.status === 401 && err.basicChallenge) c.header('WWW-Authenticate', 'Basic realm="rackd", charset="UTF-8"');
  return c.json({ error: err.code, error_description: err.description }, err.status);
}
