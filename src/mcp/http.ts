// The /mcp endpoint: Streamable HTTP (SDK web-standard transport, stateless, JSON responses)
// inside Hono. Bearer credentials only — never cookies or query-string tokens — and an Origin
// check against DNS rebinding.
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono, type Context } from 'hono';
import { AppError } from '../platform/errors.ts';
import { errorResponse } from '../http/errors.ts';
import { authenticate, type BearerVerifier } from '../http/middleware/authenticate.ts';
import type { AppEnv } from '../http/types.ts';
import type { ServiceEnv } from '../services/env.ts';
import { createMcpServer } from './server.ts';
import type { PreparedTool } from './tools.ts';

export interface McpRouteOptions {
  tools: readonly PreparedTool[];
  /** Origins browsers may call /mcp from: the server's own and MCP_ALLOWED_ORIGINS. */
  allowedOrigins: () => ReadonlySet<string>;
  bearerVerifiers?: BearerVerifier[];
  /** Value of WWW-Authenticate on a missing or bad credential. */
  challenge: (error?: 'invalid_token') => string;
}

function originAllowed(c: Context<AppEnv>, allowed: ReadonlySet<string>): boolean {
  const origin = c.req.header('origin');
  // Desktop and CLI clients send no Origin; browsers always do on cross-origin requests.
  if (origin === undefined) return true;
  return allowed.has(origin.toLowerCase().replace(/\/$/, ''));
}

export function mcpRoutes(env: ServiceEnv, opts: McpRouteOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    if (!originAllowed(c, opts.allowedOrigins())) {
      return errorResponse(c, new AppError('ORIGIN_NOT_ALLOWED', 'Origin not allowed; add it to MCP_ALLOWED_ORIGINS'));
    }
    const url = new URL(c.req.url);
    if (url.searchParams.has('access_token') || url.searchParams.has('token') || url.searchParams.has('api_key')) {
      return errorResponse(c, new AppError('INVALID_INPUT', 'Credentials are accepted only in the Authorization header'));
    }
    // Session cookies never authenticate MCP: without a bearer credential this is a 401.
    if (c.req.header('authorization') === undefined) {
      const res = errorResponse(c, new AppError('UNAUTHORIZED', 'Unauthorized: send Authorization: Bearer <token>'));
      res.headers.set('WWW-Authenticate', opts.challenge());
      return res;
    }
    return next();
  });
  app.use('*', authenticate(env, { source: 'mcp', bearerVerifiers: opts.bearerVerifiers, challenge: opts.challenge }));
  app.post('/', async (c) => {
    const ctx = c.get('caller');
    const server = createMcpServer(env, ctx, opts.tools, c.get('log'));
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      void server.close();
    }
  });
  // Stateless server: no standalone SSE stream and no sessions to delete.
  app.on(['GET', 'DELETE'], '/', (c) => {
    c.header('Allow', 'POST');
    return errorResponse(c, new AppError('METHOD_NOT_ALLOWED', 'This MCP endpoint is stateless: use POST'));
  });
  return app;
}
