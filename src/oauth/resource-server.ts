// rackd as the resource server of its own access tokens, on /mcp and /api. A token is accepted when
// its signature, alg, typ, iss, exp and single audience check out AND its grant is still live (one
// primary-key lookup), so revocation — by the client, by the user, by replay detection — applies
// to the very next request. The caller then acts with the user's CURRENT permissions ∩ the token's
// scopes. Challenges carry the PRM URL and the scope to ask for.
import type { MiddlewareHandler } from 'hono';
import { bearerToken, type BearerVerifier } from '../http/middleware/authenticate.ts';
import { errorResponse, jsonBodyOnce } from '../http/errors.ts';
import type { AppEnv } from '../http/types.ts';
import type { PreparedTool } from '../mcp/tools.ts';
import { permissionsOf } from '../operations/types.ts';
import { AppError } from '../platform/errors.ts';
import { userContext } from '../services/auth/context.ts';
import type { UserRow } from '../services/users/internal.ts';
import { DEFAULT_CHALLENGE_SCOPE, expandScopes, neededScope } from '../auth/scopes.ts';
import type { OAuthServer } from './server.ts';
import type { AccessTokenClaims } from './signing.ts';
import { requestHeader } from '../http/node-io.ts';

export const looksLikeJwt = (token: string): boolean => /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);

export type VerifiedToken = { ok: true; claims: AccessTokenClaims; user: UserRow; scopes: string[] } | { ok: false };

export async function verifyAccessToken(server: OAuthServer, token: string): Promise<VerifiedToken> {
  const { env } = server;
  const urls = server.urls();
  const now = env.clock.now();
  let claims: AccessTokenClaims;
  try {
    claims = await (await server.signer()).verify(token, { issuer: urls.issuer, audience: urls.resource, now });
  } catch {
    return { ok: false };
  }
  const grant = server.store.grant(claims.fid);
  if (!grant || grant.revokedAt || grant.userId !== claims.sub) return { ok: false };
  const user = server.store.user(claims.sub);
  if (!user || !user.isActive) return { ok: false };
  // A password change ends sessions; it ends the tokens of earlier sign-ins too.
  if (user.passwordChangedAt && grant.createdAt < user.passwordChangedAt) return { ok: false };
  return { ok: true, claims, user, scopes: claims.scope.split(' ').filter(Boolean) };
}

/** The bearer verifier for authenticate(): handles JWT-shaped tokens, leaves the rest to API keys. */
export function accessTokenVerifier(server: OAuthServer): BearerVerifier {
  return async (token, meta) => {
    if (!looksLikeJwt(token)) return undefined;
    const r = await verifyAccessToken(server, token);
    if (!r.ok) return { ok: false, code: 'UNAUTHORIZED' };
    const actor = {
      kind: 'oauth' as const,
      userId: r.user.id,
      username: r.user.username,
      clientId: r.claims.client_id,
      tokenId: r.claims.jti,
      scopes: r.scopes,
    };
    // Administrator-only guards (requireAdmin, "see everyone's keys") need the admin scope too.
    return { ok: true, ctx: userContext(server.env, actor, meta, expandScopes(r.scopes), r.scopes) };
  };
}

const quote = (s: string) => s.replace(/["\\]/g, '');

/** WWW-Authenticate of /mcp: the PRM URL and the scope to request; invalid_token when one was sent. */
export function mcpChallenge(server: OAuthServer): (error?: 'invalid_token') => string {
  return (error) => {
    const prm = server.urls().resourceMetadata;
    const common = `resource_metadata="${prm}", scope="${DEFAULT_CHALLENGE_SCOPE}"`;
    return error
      ? `Bearer error="invalid_token", error_description="The access token is invalid, expired or revoked", ${common}`
      : `Bearer ${common}`;
  };
}

export function insufficientScopeChallenge(server: OAuthServer, scope: string, description: string): string {
  return `Bearer error="insufficient_scope", scope="${scope}", resource_metadata="${server.urls().resourceMetadata}", error_description="${quote(description)}"`;
}

/**
 * /mcp: a tools/call whose tool the token's scopes do not cover, while the user's own roles would,
 * is answered 403 insufficient_scope naming the scope to ask for, before the MCP server runs — that
 * is what lets a client step up. When the user lacks the permission anyway, a new consent would
 * not help: the call proceeds and the tool answers FORBIDDEN.
 */
export function mcpScopeGate(server: OAuthServer, tools: readonly PreparedTool[]): MiddlewareHandler<AppEnv> {
  const byName = new Map(tools.map((t) => [t.op.name, t]));
  return async function mcpScopeGateMiddleware(c, next) {
    if (c.req.method !== 'POST') return next();
    const bearer = bearerToken(requestHeader(c, 'authorization'));
    if (!bearer || !looksLikeJwt(bearer)) return next();
    const verified = await verifyAccessToken(server, bearer);
    if (!verified.ok) return next();
    const body = await jsonBodyOnce(c); // parsed once: the /mcp route takes the same value
    // One message per request: a batch (an array) is refused by the /mcp route itself.
    const m = body as { method?: unknown; params?: { name?: unknown } } | null;
    if (typeof m !== 'object' || m === null || Array.isArray(m) || m.method !== 'tools/call' || typeof m.params?.name !== 'string') return next();
    const tool = byName.get(m.params.name);
    if (!tool) return next();
    const perms = permissionsOf(tool.op);
    const scoped = expandScopes(verified.scopes);
    const held = new Set(server.store.permissionsOf(verified.user.id));
    if (perms.some((p) => scoped.has(p) && held.has(p))) return next();
    const wouldHold = perms.filter((p) => held.has(p));
    if (wouldHold.length === 0) return next();
    const scope = neededScope(wouldHold);
    const message = `The token's scopes do not cover ${tool.op.name}; request scope ${scope}`;
    const res = errorResponse(c, new AppError('FORBIDDEN', message, { details: [{ field: 'scope', message: scope }] }));
    res.headers.set('WWW-Authenticate', insufficientScopeChallenge(server, scope, message));
    return res;
  };
}

/**
 * /api: a 403 for an OAuth caller whose user holds the permission but whose scopes do not gets an
 * insufficient_scope challenge, so REST clients can step up the same way.
 */
export function apiScopeChallenge(server: OAuthServer): MiddlewareHandler<AppEnv> {
  return async function apiScopeChallengeMiddleware(c, next) {
    await next();
    const caller = c.get('caller');
    if (c.res.status !== 403 || caller.actor.kind !== 'oauth') return;
    let permission: string | undefined;
    try {
      const body = (await c.res.clone().json()) as { code?: string; details?: Array<{ field: string; message: string }> };
      if (body.code === 'FORBIDDEN') permission = body.details?.find((d) => d.field === 'permission')?.message;
    } catch {
      return;
    }
    if (!permission) return;
    if (!server.store.permissionsOf(caller.actor.userId).includes(permission)) return;
    const scope = neededScope([permission]);
    c.res.headers.set('WWW-Authenticate', insufficientScopeChallenge(server, scope, `The token's scopes do not cover ${permission}; request scope ${scope}`));
  };
}
