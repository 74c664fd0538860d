// Mounts the authorization server: the well-known metadata, the /mcp-oauth endpoints and the
// JWKS. Metadata, token, register, revoke and JWKS answer browsers of any origin (no credentials
// are involved: CORS without cookies); /authorize is a navigation and needs none.
import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { errorResponse } from '../http/errors.ts';
import type { AppEnv } from '../http/types.ts';
import { AppError } from '../platform/errors.ts';
import { authorizeGet, authorizePost } from './authorize.ts';
import { authorizationServerMetadata, protectedResourceMetadata } from './metadata.ts';
import { registerEndpoint } from './register.ts';
import { revokeEndpoint } from './revoke.ts';
import type { OAuthServer } from './server.ts';
import { tokenEndpoint } from './token.ts';
import { AS_METADATA_PATH, MCP_PATH, OAUTH_PREFIX, PRM_PATH } from './urls.ts';
import { requestHeader } from '../http/node-io.ts';

const publicCors = cors({
  origin: '*',
  allowMethods: ['GET', 'POST', 'OPTIONS'],
  allowHeaders: ['Authorization', 'Content-Type', 'MCP-Protocol-Version'],
  exposeHeaders: ['WWW-Authenticate'],
  maxAge: 600,
});

export function oauthRoutes(server: OAuthServer): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Computed once, on the first request (the port is known by then); served as the same bytes.
  let asDoc: string | undefined;
  let prmDoc: string | undefined;
  const json = (body: string) => new Response(body, { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' } });

  for (const path of [AS_METADATA_PATH, PRM_PATH, `${PRM_PATH}${MCP_PATH}`, `${OAUTH_PREFIX}/jwks`, `${OAUTH_PREFIX}/token`, `${OAUTH_PREFIX}/register`, `${OAUTH_PREFIX}/revoke`]) {
    app.use(path, publicCors);
  }
  app.get(AS_METADATA_PATH, () => json((asDoc ??= JSON.stringify(authorizationServerMetadata(server.urls())))));
  // The path-aware document is the one RFC 9728 clients use; the root one serves clients that
  // only try the root. Both name the same resource.
  app.get(`${PRM_PATH}${MCP_PATH}`, () => json((prmDoc ??= JSON.stringify(protectedResourceMetadata(server.urls())))));
  app.get(PRM_PATH, () => json((prmDoc ??= JSON.stringify(protectedResourceMetadata(server.urls())))));
  app.get(`${OAUTH_PREFIX}/jwks`, async () => json(JSON.stringify((await server.signer()).jwks)));

  app.get(`${OAUTH_PREFIX}/authorize`, (c) => authorizeGet(server, c));
  app.post(`${OAUTH_PREFIX}/authorize`, (c) => authorizePost(server, c));
  app.post(`${OAUTH_PREFIX}/token`, (c) => tokenEndpoint(server, c));
  app.post(`${OAUTH_PREFIX}/register`, (c) => registerEndpoint(server, c));
  app.post(`${OAUTH_PREFIX}/revoke`, (c) => revokeEndpoint(server, c));

  // Every other method on these URLs is 405 with Allow (RFC 9110 §15.5.6), not a 404 that would
  // say the endpoint does not exist. Registered after the handlers, so only what they leave reaches it.
  const allow: [string, string][] = [
    [AS_METADATA_PATH, 'GET, HEAD'],
    [PRM_PATH, 'GET, HEAD'],
    [`${PRM_PATH}${MCP_PATH}`, 'GET, HEAD'],
    [`${OAUTH_PREFIX}/jwks`, 'GET, HEAD'],
    [`${OAUTH_PREFIX}/authorize`, 'GET, HEAD, POST'],
    [`${OAUTH_PREFIX}/token`, 'POST'],
    [`${OAUTH_PREFIX}/register`, 'POST'],
    [`${OAUTH_PREFIX}/revoke`, 'POST'],
  ];
  for (const [path, methods] of allow) {
    app.all(path, (c) => {
      const res = errorResponse(c, new AppError('METHOD_NOT_ALLOWED', `Method ${c.req.method} not allowed here; use ${methods}`));
      res.headers.set('Allow', methods);
      return res;
    });
  }
  return app;
}

/**
 * CORS of /mcp for the allowed origins: browsers must see WWW-Authenticate to start OAuth.
 * Requests without an Origin (desktop and CLI clients) skip it: CORS headers mean nothing to
 * them, and Hono's cors touches c.res before the handler runs, which makes Hono re-create the
 * MCP transport's response around its body stream (bench/mcp-vs-rest).
 */
export function mcpCors(allowed: () => ReadonlySet<string>): MiddlewareHandler<AppEnv> {
  const withCors = cors({
    origin: (origin) => (allowed().has(origin.toLowerCase().replace(/\/$/, '')) ? origin : null),
    allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Accept', 'Mcp-Session-Id', 'MCP-Protocol-Version', 'Last-Event-ID', 'Mcp-Method', 'Mcp-Name', 'X-MCP-Toolsets'],
    exposeHeaders: ['WWW-Authenticate', 'Mcp-Session-Id'],
    maxAge: 600,
  });
  return (c, next) => (requestHeader(c, 'origin') === undefined ? next() : withCors(c, next));
}
