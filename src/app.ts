// createApp(deps): composes every surface. No logic lives here.
import { Hono } from 'hono';
import type { RateLimitStore } from './auth/rate-limit-store.ts';
import { AppError } from './platform/errors.ts';
import { errorResponse, onError } from './http/errors.ts';
import { healthRoutes, type ReadinessCheck } from './http/health.ts';
import { authenticate } from './http/middleware/authenticate.ts';
import { edge } from './http/middleware/edge.ts';
import { MAX_BODY_BYTES } from './http/middleware/limits.ts';
import type { AppEnv } from './http/types.ts';
import { catalogueRoutes, publicPaths } from './http/rest/from-catalogue.ts';
import { openApiDocument } from './http/openapi.ts';
import { mcpRoutes } from './mcp/http.ts';
import { accessTokenVerifier, apiScopeChallenge, mcpChallenge, mcpScopeGate } from './oauth/resource-server.ts';
import { mcpCors, oauthRoutes } from './oauth/routes.ts';
import { createOAuthServer } from './oauth/server.ts';
import { staticRoutes } from './web/static.ts';
import { uiRoutes } from './web/ui.ts';
import { catalogueDescriptorRoutes } from './http/rest/catalogue.ts';
import { prepareTools } from './mcp/tools.ts';
import { OPERATIONS } from './operations/index.ts';
import type { ServiceEnv } from './services/env.ts';

export { MAX_BODY_BYTES };

export interface AppDeps {
  env: ServiceEnv;
  rateLimitStore: RateLimitStore;
  readiness: Record<string, ReadinessCheck>;
  /** The port the server listens on, known once it listens (port 0 picks one). */
  listening: { port: number };
}

/** Origins that are this server itself: the configured issuer and the loopback names of its port. */
export function ownOrigins(issuerUrl: string, port: number): Set<string> {
  const origins = new Set([`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`]);
  if (issuerUrl) origins.add(new URL(issuerUrl).origin);
  return origins;
}

/**
 * Host values /mcp answers to (DNS-rebinding defence): the loopback names of its port, the
 * listen address when it is a specific one, the hosts of MCP_OAUTH_ISSUER_URL and
 * MCP_ALLOWED_ORIGINS, and MCP_ALLOWED_HOSTS. An entry without a port matches any port.
 */
export function ownHosts(config: AppDeps['env']['config'], port: number): Set<string> {
  const hosts = new Set([`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
  const listen = config.listen.host;
  if (listen && listen !== '0.0.0.0' && listen !== '::') hosts.add(`${listen.includes(':') ? `[${listen}]` : listen}:${port}`.toLowerCase());
  for (const origin of [config.mcp.issuerUrl, ...config.mcp.allowedOrigins]) if (origin) hosts.add(new URL(origin).host);
  for (const h of config.mcp.allowedHosts) hosts.add(h);
  return hosts;
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { env } = deps;
  const { config } = env;
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound((c) => errorResponse(c, new AppError('NOT_FOUND', 'Not found')));

  app.use(
    '*',
    edge({
      logger: env.logger,
      clientIp: { trustProxy: config.trustProxy, trustedProxies: config.trustedProxies },
      rateLimitStore: deps.rateLimitStore,
      rateLimit: config.rateLimit,
      maxBodyBytes: MAX_BODY_BYTES,
      requestTimeoutMs: config.requestTimeoutMs,
    }),
  );

  app.route('/', healthRoutes(deps.readiness));
  app.route('/', staticRoutes());

  let origins: Set<string> | undefined;
  const allowedOrigins = () => (origins ??= new Set([...ownOrigins(config.mcp.issuerUrl, deps.listening.port), ...config.mcp.allowedOrigins]));
  let hosts: Set<string> | undefined;
  const allowedHosts = () => (hosts ??= ownHosts(config, deps.listening.port));
  const oauth = config.oauth.enabled ? createOAuthServer(env, deps.listening, () => ownOrigins(config.mcp.issuerUrl, deps.listening.port)) : undefined;
  const bearerVerifiers = oauth ? [accessTokenVerifier(oauth)] : [];
  if (oauth) app.route('/', oauthRoutes(oauth));

  if (oauth) app.use('/api/*', apiScopeChallenge(oauth));
  app.use('/api/*', authenticate(env, { publicPaths: publicPaths(OPERATIONS), bearerVerifiers }));
  app.get('/api/openapi.json', (c) => c.json(openApiDocument(OPERATIONS)));
  const tools = prepareTools(OPERATIONS);
  app.route('/api/catalogue', catalogueDescriptorRoutes(OPERATIONS));
  app.route('/api', catalogueRoutes(env, OPERATIONS));

  app.use('/mcp', mcpCors(allowedOrigins));
  if (oauth) app.use('/mcp', mcpScopeGate(oauth, tools));
  app.route(
    '/mcp',
    mcpRoutes(env, {
      tools,
      allowedOrigins,
      allowedHosts,
      bearerVerifiers,
      challenge: oauth ? mcpChallenge(oauth) : (error) => (error ? `Bearer realm="rackd", error="${error}"` : 'Bearer realm="rackd"'),
    }),
  );
  // Last: the web UI's pages and assets (only its own paths; everything else stays a 404).
  app.route('/', uiRoutes(OPERATIONS));
  return app;
}
