// Client authentication at the token and revocation endpoints: client_secret_basic,
// client_secret_post and none (public clients send only client_id). One method per request;
// secrets are compared as SHA-256 digests in constant time.
import { safeEqual, sha256Hex } from '../platform/ids.ts';
import type { ClientRow } from '../services/oauth/internal.ts';
import type { OAuthReads } from '../services/oauth/store.ts';
import { OAuthError } from './errors.ts';
import type { Params } from './form.ts';

export interface AuthenticatedClient {
  client: ClientRow;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/** RFC 6749 §2.3.1: both halves of the Basic credential are form-urlencoded. */
function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

function parseBasic(header: string): { id: string; secret: string } {
  const m = /^Basic[ ]+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) throw new OAuthError('invalid_client', 'Malformed HTTP Basic client credentials', 401, true);
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_client', 'Malformed HTTP Basic client credentials', 401, true);
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new OAuthError('invalid_client', 'Malformed HTTP Basic client credentials', 401, true);
  }
}

export function authenticateClient(store: Pick<OAuthReads, 'clientByClientId'>, authorization: string | undefined, form: Params): AuthenticatedClient {
  const basicHeader = authorization !== undefined && /^Basic\b/i.test(authorization) ? authorization : undefined;
  let clientId: string | undefined;
  let secret: string | undefined;
  let method: AuthenticatedClient['method'];
  if (basicHeader) {
    const basic = parseBasic(basicHeader);
    if (form.has('client_secret')) throw new OAuthError('invalid_request', 'Use one client authentication method, not HTTP Basic and client_secret together');
    if (form.has('client_id') && form.get('client_id') !== basic.id) throw new OAuthError('invalid_request', 'client_id differs from the HTTP Basic user');
    clientId = basic.id;
    secret = basic.secret;
    method = 'client_secret_basic';
  } else {
    clientId = form.get('client_id');
    secret = form.get('client_secret');
    method = secret === undefined ? 'none' : 'client_secret_post';
  }
  const fail = (why: string) => new OAuthError('invalid_client', why, 401, method === 'client_secret_basic');
  if (!clientId) throw fail('Client authentication failed: client_id is missing');
  const client = store.clientByClientId(clientId);
  if (!client) {
    // Same work as a real comparison, so unknown ids and wrong secrets take the same time.
    if (secret !== undefined) safeEqual(sha256Hex(secret), sha256Hex(''));
    throw fail('Client authentication failed');
  }
  if (client.secretHash) {
    if (secret === undefined || !safeEqual(sha256Hex(secret), client.secretHash)) throw fail('Client authentication failed');
  } else if (secret !== undefined && secret !== '') {
    throw fail('Client authentication failed: this is a public client without a secret');
  }
  return { client, method: client.secretHash ? method : 'none' };
}
