// Validation of an authorization request, in the order RFC 6749 §4.1.2.1 and RFC 9700 §4.11.2
// demand: until the client and its redirect URI are established, problems are shown to the user
// and nothing redirects; after that, problems go back to the client with `state` and `iss`.
import { policyFromConfig } from '../net/url-guard.ts';
import type { ClientRow } from '../services/oauth/internal.ts';
import { CimdError, isCimdClientId, resolveCimdClient } from './cimd.ts';
import type { Params } from './form.ts';
import { isS256Challenge } from './pkce.ts';
import { findRedirect } from './redirect-match.ts';
import { limitScopes, parseScope, SCOPE_READ } from '../auth/scopes.ts';
import type { OAuthServer } from './server.ts';
import { isCanonicalResource } from './urls.ts';

/** The parameters carried from the first GET through the sign-in and consent forms. */
export const CARRIED = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'resource'] as const;

export interface AuthorizationRequest {
  client: ClientRow;
  redirectUri: string;
  state?: string;
  scopes: string[];
  codeChallenge: string;
  resource: string;
  /** The request's own parameters, to put back into forms and the post-login redirect. */
  carry: Record<string, string>;
}

export type Checked =
  | { kind: 'page'; status: 400; title: string; message: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'ok'; request: AuthorizationRequest };

/** `redirectUri` with the given parameters added (keeping its own query), always with `iss`. */
export function redirectWith(redirectUri: string, issuer: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v);
  url.searchParams.append('iss', issuer);
  return url.href;
}

/** Looks up a registered client or fetches and records a CIMD client. */
export async function resolveClient(server: OAuthServer, clientId: string): Promise<ClientRow | { error: string }> {
  const { env } = server;
  if (isCimdClientId(clientId)) {
    let doc;
    try {
      doc = await resolveCimdClient(clientId, {
        policy: policyFromConfig(env.config, { httpsOnly: true }),
        allowedRedirectSchemes: env.config.oauth.allowedRedirectSchemes,
        now: () => env.clock.now().getTime(),
      });
    } catch (err) {
      if (err instanceof CimdError) return { error: err.message };
      throw err;
    }
    // Recorded so that codes and grants can reference the client and users can see and revoke it.
    const row = await server.store.write((w) =>
      w.upsertCimdClient(clientId, {
        name: doc.client_name,
        redirectUris: doc.redirect_uris,
        grantTypes: doc.grant_types,
        responseTypes: doc.response_types,
        scope: doc.scope ?? null,
        clientUri: doc.client_uri ?? null,
        logoUri: doc.logo_uri ?? null,
        updatedAt: env.clock.now().toISOString(),
      }),
    );
    if (row.kind !== 'cimd') return { error: 'client_id is not a metadata-document client' };
    return row;
  }
  const row = server.store.clientByClientId(clientId);
  // A CIMD row is only ever reached through its URL above; an id that stopped parsing as one is unknown.
  if (!row || row.kind === 'cimd') return { error: 'Unknown client: this application is not registered with rackd' };
  return row;
}

export async function checkAuthorizationRequest(server: OAuthServer, params: Params, repeated: readonly string[]): Promise<Checked> {
  const page = (message: string): Checked => ({ kind: 'page', status: 400, title: 'This sign-in request cannot be used', message });
  if (repeated.includes('client_id') || repeated.includes('redirect_uri')) return page('client_id and redirect_uri may appear only once.');
  const clientId = params.get('client_id');
  if (!clientId) return page('The request has no client_id.');
  const client = await resolveClient(server, clientId);
  if ('error' in client) return page(client.error);
  const given = params.get('redirect_uri');
  let redirectUri: string | undefined;
  if (given === undefined) {
    if (client.redirectUris.length === 1) redirectUri = client.redirectUris[0];
  } else if (findRedirect(client.redirectUris, given)) {
    redirectUri = given;
  }
  if (!redirectUri) {
    return page(given === undefined ? 'The request has no redirect_uri.' : 'The redirect_uri is not one this application registered.');
  }

  const issuer = server.urls().issuer;
  const state = params.get('state');
  const fail = (error: string, description: string): Checked => ({
    kind: 'redirect',
    location: redirectWith(redirectUri, issuer, { error, error_description: description, state }),
  });
  if (repeated.length) return fail('invalid_request', `Parameter repeated: ${repeated.join(', ')}`);
  const responseType = params.get('response_type');
  if (!responseType) return fail('invalid_request', 'response_type is required');
  if (responseType !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported');
  if (!client.grantTypes.includes('authorization_code')) return fail('unauthorized_client', 'This client may not use the authorization code flow');
  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method');
  if (!challenge) return fail('invalid_request', 'code_challenge is required (PKCE with S256)');
  if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256 (plain is not allowed)');
  if (!isS256Challenge(challenge)) return fail('invalid_request', 'code_challenge must be 43 base64url characters');
  const urls = server.urls();
  const resourceParam = params.get('resource');
  if (resourceParam !== undefined && !isCanonicalResource(resourceParam, urls.resource)) {
    return fail('invalid_target', `resource must be ${urls.resource}`);
  }
  const registered = client.scope ? client.scope.split(' ') : undefined;
  // The scope a self-registered (DCR) or metadata-document client declared is what it asked for
  // once, not a ceiling: anyone can register anything, so it bounds nothing, and a client must be
  // able to step up to the scope a 403 challenge names. What a token may do is bounded by the
  // user's consent and roles. Only an agent a user registered through /api/oauth/clients carries
  // a scope its owner chose as its limit.
  const ceiling = client.kind === 'api' ? registered : undefined;
  let scopes: string[];
  if (params.has('scope')) {
    const { known } = parseScope(params.get('scope'));
    scopes = limitScopes(known, ceiling);
    if (scopes.length === 0) return fail('invalid_scope', 'None of the requested scopes is known to rackd or allowed for this client');
  } else {
    scopes = registered ?? [SCOPE_READ];
  }
  const carry: Record<string, string> = {};
  for (const k of CARRIED) {
    const v = params.get(k);
    if (v !== undefined) carry[k] = v;
  }
  return { kind: 'ok', request: { client, redirectUri, state, scopes, codeChallenge: challenge, resource: urls.resource, carry } };
}
