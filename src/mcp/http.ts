// The /mcp endpoint: Streamable HTTP (SDK web-standard transport, stateless, JSON responses —
// SSE only for a call that asked for progress) inside Hono. Bearer credentials only — never
// cookies or query-string tokens — and Host and Origin checks against DNS rebinding.
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { Hono, type Context } from 'hono';
import { AppError } from '../platform/errors.ts';
import { errorResponse, jsonBodyOnce } from '../http/errors.ts';
import { authenticate, type BearerVerifier } from '../http/middleware/authenticate.ts';
import type { AppEnv } from '../http/types.ts';
import type { ServiceEnv } from '../services/env.ts';
import { callTool, createMcpServer, isObject, ProtocolError, toolIndex } from './server.ts';
import { parseToolsets, type PreparedTool } from './tools.ts';
import { requestHeader } from '../http/node-io.ts';

export interface McpRouteOptions {
  tools: readonly PreparedTool[];
  /** Origins browsers may call /mcp from: the server's own and MCP_ALLOWED_ORIGINS. */
  allowedOrigins: () => ReadonlySet<string>;
  /** Host values that are this server (app.ts ownHosts); anything else is refused. */
  allowedHosts: () => ReadonlySet<string>;
  bearerVerifiers?: BearerVerifier[];
  /** Value of WWW-Authenticate on a missing or bad credential. */
  challenge: (error?: 'invalid_token') => string;
}

/**
 * A page on evil.example whose name was re-pointed at this server (DNS rebinding) reaches it with
 * `Host: evil.example`, and a browser sends no Origin on a simple same-"origin" request; so the
 * Host must be one of the server's own names. An allowed entry without a port matches any port.
 */
export function hostAllowed(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (host === undefined) return true; // HTTP/1.0 without Host: no browser sends that
  const h = host.toLowerCase();
  if (allowed.has(h)) return true;
  const bare = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.split(':')[0]!;
  return bare !== h && allowed.has(bare);
}

function originAllowed(c: Context<AppEnv>, allowed: ReadonlySet<string>): boolean {
  const origin = requestHeader(c, 'origin');
  // Desktop and CLI clients send no Origin; browsers always do on cross-origin requests.
  if (origin === undefined) return true;
  return allowed.has(origin.toLowerCase().replace(/\/$/, ''));
}

/** True when the body is a tools/call that asks for progress notifications. */
function wantsProgress(body: unknown): boolean {
  const msg = body as { method?: unknown; params?: { _meta?: { progressToken?: unknown } } } | null;
  return msg?.method === 'tools/call' && msg.params?._meta?.progressToken !== undefined;
}

/**
 * What the fast path hands the tool: like the SDK's JSON-response path, whose per-request signal
 * nothing aborts (the transport is never closed), and no progress token, so nothing to notify.
 */
const FAST_PATH_EXTRA = { signal: new AbortController().signal, sendNotification: async () => {} };

/** A well-formed JSON-RPC tools/call request (the caller has ruled out a progress token); anything else takes the SDK's path. */
function isPlainToolCall(body: unknown): body is { id: string | number; params?: Record<string, unknown> } {
  if (typeof body !== 'object' || body === null) return false;
  const m = body as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };
  if (m.jsonrpc !== '2.0' || m.method !== 'tools/call') return false;
  if (typeof m.id !== 'string' && !Number.isSafeInteger(m.id)) return false;
  if (m.params === undefined) return true;
  if (!isObject(m.params)) return false;
  // (A progress token was ruled out by the caller: such a call streams, through the SDK.)
  const meta = (m.params as { _meta?: unknown })._meta;
  return meta === undefined || isObject(meta);
}

/**
 * The header checks the SDK's transport makes before it handles a message (Accept names both
 * JSON and SSE, Content-Type is JSON, a given MCP-Protocol-Version is supported): when one fails
 * the request goes to the transport, which answers 406, 415 or 400 as it always has.
 */
function transportWouldAccept(c: Context<AppEnv>): boolean {
  const accept = requestHeader(c, 'accept');
  if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) return false;
  const type = requestHeader(c, 'content-type');
  if (type === undefined || type.split(';')[0]!.trim().toLowerCase() !== 'application/json') return false;
  const version = requestHeader(c, 'mcp-protocol-version');
  return version === undefined || SUPPORTED_PROTOCOL_VERSIONS.includes(version);
}

/**
 * MCP 2025-06-18 removed JSON-RPC batching, and a batch would count once against the rate
 * limiter however many calls it holds (100 device_save calls skipped the bulk limit, and a 465 KB
 * batch held the event loop for seconds): an array body is refused as an Invalid Request.
 */
function batchRefused(c: Context<AppEnv>): Response {
  return c.json({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request: JSON-RPC batches are not supported; send one message per request' } }, 400);
}

export function mcpRoutes(env: ServiceEnv, opts: McpRouteOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    if (!hostAllowed(requestHeader(c, 'host'), opts.allowedHosts())) {
      return errorResponse(c, new AppError('HOST_NOT_ALLOWED', 'Host not allowed: this server answers /mcp only under its own names; add the name to MCP_ALLOWED_HOSTS'));
    }
    if (!originAllowed(c, opts.allowedOrigins())) {
      return errorResponse(c, new AppError('ORIGIN_NOT_ALLOWED', 'Origin not allowed; add it to MCP_ALLOWED_ORIGINS'));
    }
    const search = c.req.url.includes('?') ? new URL(c.req.url).searchParams : undefined;
    if (search && (search.has('access_token') || search.has('token') || search.has('api_key'))) {
      return errorResponse(c, new AppError('INVALID_INPUT', 'Credentials are accepted only in the Authorization header'));
    }
    // Session cookies never authenticate MCP: without a bearer credential this is a 401.
    if (requestHeader(c, 'authorization') === undefined) {
      const res = errorResponse(c, new AppError('UNAUTHORIZED', 'Unauthorized: send Authorization: Bearer <token>'));
      res.headers.set('WWW-Authenticate', opts.challenge());
      return res;
    }
    return next();
  });
  app.use('*', authenticate(env, { source: 'mcp', bearerVerifiers: opts.bearerVerifiers, challenge: opts.challenge }));
  app.post('/', async (c) => {
    const ctx = c.get('caller');
    // Progress notifications can only travel on an SSE response, so a call carrying a progress
    // token is answered as a stream; everything else keeps the plain JSON response, which must
    // arrive before REQUEST_TIMEOUT — tools that wait (discovery_scan) are told their budget.
    // The body is read and parsed once, here, and handed to the transport. Reading errors (a body
    // over the 1 MiB cap) propagate to the limit middleware; unparsable JSON reaches the transport
    // as null, which it answers as a JSON-RPC parse error (-32700) after its own header checks.
    // Bytes that are not UTF-8 are unparsable JSON, like any other: the transport's -32700.
    const body = await jsonBodyOnce(c);
    if (Array.isArray(body)) return batchRefused(c);
    const streaming = wantsProgress(body);
    const timeoutMs = env.config.requestTimeoutMs;
    const budgetMs = streaming || timeoutMs <= 0 ? undefined : Math.max(1_000, timeoutMs - 2_000);
    // The toolsets the client chose when connecting (every request of a stateless client repeats them).
    const toolsets = parseToolsets(c.req.url.includes('?') ? c.req.queries('toolsets')?.join(',') : undefined, requestHeader(c, 'x-mcp-toolsets'));
    if (!streaming && isPlainToolCall(body) && transportWouldAccept(c)) {
      // The common case without the SDK's per-request Server and transport (which also need an
      // undici Request): the same checks, the same handler, the same JSON-RPC answer.
      const { byName } = toolIndex(opts.tools, toolsets);
      try {
        const result = await callTool(env, ctx, byName, body.params, FAST_PATH_EXTRA, c.get('log'), budgetMs);
        return c.json({ result, jsonrpc: '2.0', id: body.id });
      } catch (err) {
        if (err instanceof ProtocolError) return c.json({ jsonrpc: '2.0', id: body.id, error: { code: err.code, message: err.message } });
        throw err;
      }
    }
    const server = createMcpServer(env, ctx, opts.tools, c.get('log'), { budgetMs, toolsets });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: !streaming });
    await server.connect(transport);
    if (streaming) {
      // The stream is still being written when handleRequest returns: close after the last response.
      const send = transport.send.bind(transport);
      transport.send = async (message, options) => {
        await send(message, options);
        if ('result' in message || 'error' in message) setImmediate(() => void server.close());
      };
      return transport.handleRequest(c.req.raw, { parsedBody: body });
    }
    // A JSON response is complete when handleRequest returns, and nothing outside this request
    // refers to the server or transport, so they are left to the collector rather than closed:
    // close() only aborts the finished handlers' signals and builds a 'Connection closed' error
    // for nobody (the SDK's own Hono example does not close either).
    return transport.handleRequest(c.req.raw, { parsedBody: body });
  });
  // Stateless server: no standalone SSE stream and no sessions to delete.
  app.on(['GET', 'DELETE'], '/', (c) => {
    c.header('Allow', 'POST');
    return errorResponse(c, new AppError('METHOD_NOT_ALLOWED', 'This MCP endpoint is stateless: use POST'));
  });
  return app;
}
