// POST /mcp-oauth/register — RFC 7591 dynamic client registration, open to anyone (rate-limited
// by the sensitive-route limiter). Redirect URIs follow redirect-uri.ts; unknown metadata is
// ignored as RFC 7591 §2 requires; client_credentials is not offered here because a self-registered
// client has no user to act as. Unused registrations expire after 90 days (oauth-cleanup job).
import type { Context } from 'hono';
import { oauthClients } from '../db/schema/index.ts';
import { AppError } from '../platform/errors.ts';
import { newId, randomToken, sha256Hex } from '../platform/ids.ts';
import { CLIENT_SECRET_PREFIX } from '../services/oauth/internal.ts';
import { emitEvent } from '../webhooks/emit.ts';
import { oauthContext, oauthEvent } from './audit.ts';
import { noStore, OAuthError, oauthErrorResponse } from './errors.ts';
import { validateRedirectUri } from './redirect-uri.ts';
import { parseScope } from '../auth/scopes.ts';
import type { OAuthServer } from './server.ts';
import type { AppEnv } from '../http/types.ts';

const AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post'] as const;
type AuthMethod = (typeof AUTH_METHODS)[number];
const DCR_GRANTS = new Set(['authorization_code', 'refresh_token']);

const meta = (why: string) => new OAuthError('invalid_client_metadata', why);

function optionalString(body: Record<string, unknown>, key: string, max: number): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > max) throw meta(`${key} must be a string of at most ${max} characters`);
  return v;
}

function optionalHttpsUrl(body: Record<string, unknown>, key: string): string | undefined {
  const v = optionalString(body, key, 2048);
  if (v === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || /[^\x21-\x7e]/.test(v)) throw meta(`${key} must be an http(s) URL`);
  return v;
}

interface ParsedRegistration {
  name: string;
  redirectUris: string[];
  grantTypes: string[];
  method: AuthMethod;
  scope: string | null;
  clientUri?: string;
  logoUri?: string;
  applicationType?: string;
}

export function parseRegistration(raw: unknown, allowedSchemes: readonly string[]): ParsedRegistration {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw meta('The body must be a JSON object');
  const body = raw as Record<string, unknown>;
  const uris = body.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0) throw new OAuthError('invalid_redirect_uri', 'redirect_uris must list at least one URI');
  if (uris.length > 20) throw new OAuthError('invalid_redirect_uri', 'At most 20 redirect_uris');
  const redirectUris: string[] = [];
  for (const [i, uri] of uris.entries()) {
    try {
      const ok = validateRedirectUri(uri, { allowedSchemes }, `redirect_uris[${i}]`);
      if (!redirectUris.includes(ok)) redirectUris.push(ok);
    } catch (err) {
      if (err instanceof AppError) throw new OAuthError('invalid_redirect_uri', err.message);
      throw err;
    }
  }
  const method = (optionalString(body, 'token_endpoint_auth_method', 64) ?? 'client_secret_basic') as AuthMethod;
  if (!AUTH_METHODS.includes(method)) throw meta(`token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}`);
  let grantTypes = ['authorization_code', 'refresh_token'];
  if (body.grant_types !== undefined) {
    if (!Array.isArray(body.grant_types) || body.grant_types.some((g) => typeof g !== 'string')) throw meta('grant_types must be an array of strings');
    const bad = (body.grant_types as string[]).filter((g) => !DCR_GRANTS.has(g));
    if (bad.length) throw meta(`Unsupported grant_types for dynamic registration: ${bad.join(', ')} (supported: authorization_code, refresh_token)`);
    grantTypes = [...new Set(body.grant_types as string[])];
    if (!grantTypes.includes('authorization_code')) throw meta('grant_types must include authorization_code');
  }
  if (body.response_types !== undefined) {
    const rt = body.response_types;
    if (!Array.isArray(rt) || rt.length === 0 || rt.some((r) => r !== 'code')) throw meta('response_types may only be ["code"]');
  }
  const scopeText = optionalString(body, 'scope', 4096);
  const scope = scopeText === undefined ? null : parseScope(scopeText).known.join(' ') || null;
  const applicationType = optionalString(body, 'application_type', 16);
  if (applicationType !== undefined && applicationType !== 'native' && applicationType !== 'web') throw meta('application_type must be native or web');
  return {
    name: (optionalString(body, 'client_name', 200) ?? '').trim(),
    redirectUris,
    grantTypes,
    method,
    scope,
    clientUri: optionalHttpsUrl(body, 'client_uri'),
    logoUri: optionalHttpsUrl(body, 'logo_uri'),
    applicationType,
  };
}

export async function registerEndpoint(server: OAuthServer, c: Context<AppEnv>): Promise<Response> {
  const { env } = server;
  noStore(c);
  let raw: unknown;
  try {
    if (!/^application\/([a-z.+-]*\+)?json\b/i.test(c.req.header('content-type') ?? '')) throw meta('The body must be application/json');
    try {
      raw = JSON.parse(await c.req.text());
    } catch {
      throw meta('The body is not valid JSON');
    }
    const reg = parseRegistration(raw, env.config.oauth.allowedRedirectSchemes);
    const now = env.clock.now();
    const secret = reg.method === 'none' ? undefined : CLIENT_SECRET_PREFIX + randomToken(32);
    const id = newId();
    const row = {
      id,
      clientId: id,
      kind: 'dcr' as const,
      name: reg.name,
      redirectUris: reg.redirectUris,
      grantTypes: reg.grantTypes,
      responseTypes: ['code'],
      tokenEndpointAuthMethod: reg.method,
      scope: reg.scope,
      clientUri: reg.clientUri ?? null,
      logoUri: reg.logoUri ?? null,
      applicationType: reg.applicationType ?? null,
      secretHash: secret ? sha256Hex(secret) : null,
      ownerUserId: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      lastUsedAt: null,
    };
    const out = {
      client_id: id,
      client_id_issued_at: Math.floor(now.getTime() / 1000),
      ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
      client_name: reg.name,
      redirect_uris: reg.redirectUris,
      grant_types: reg.grantTypes,
      response_types: ['code'],
      token_endpoint_auth_method: reg.method,
      ...(reg.scope ? { scope: reg.scope } : {}),
      ...(reg.clientUri ? { client_uri: reg.clientUri } : {}),
      ...(reg.logoUri ? { logo_uri: reg.logoUri } : {}),
      ...(reg.applicationType ? { application_type: reg.applicationType } : {}),
    };
    const { client_secret: _secret, ...withoutSecret } = out as typeof out & { client_secret?: string };
    // The client row and its webhook event commit together (the outbox), so a subscriber hears of
    // every registered client and of none that failed to register.
    env.db.transaction(
      (tx) => {
        tx.insert(oauthClients).values(row).run();
        emitEvent(tx, env, oauthContext(env, c.get('caller')), 'oauth_client.created', { resource_id: id, after: withoutSecret });
      },
      { behavior: 'immediate' },
    );
    oauthEvent(env, c.get('caller'), undefined, { action: 'oauth_client.register', resource: 'oauth_client', resourceId: id }, 'success', { after: withoutSecret });
    return c.json(out, 201);
  } catch (err) {
    if (err instanceof OAuthError) {
      oauthEvent(env, c.get('caller'), undefined, { action: 'oauth_client.register', resource: 'oauth_client' }, 'failure', {}, { code: err.code, message: err.description });
      return oauthErrorResponse(c, err);
    }
    throw err;
  }
}
