// MCP over stdio for hosts that launch a local process: a message-level bridge between stdin/stdout
// and a running server's /mcp (Streamable HTTP, bearer API key). Forwarding whole JSON-RPC messages,
// rather than re-serving the tools, keeps one source of truth: the server decides what the key may
// see and do. stdout is the protocol channel, so everything else goes to the logger (stderr).
import type { Readable, Writable } from 'node:stream';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isJSONRPCRequest, isJSONRPCResultResponse, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../platform/logger.ts';

export interface StdioBridgeOptions {
  /** The server's base URL, e.g. http://localhost:8080 (the bridge talks to `<url>/mcp`). */
  url: URL;
  apiKey: string;
  /** Sent as X-MCP-Toolsets: the server offers only these toolsets (the server checks the names). */
  toolsets?: string;
  logger: Logger;
  stdin?: Readable;
  stdout?: Writable;
}

/** JSON-RPC "server error" range: the upstream server could not answer. */
const UPSTREAM_ERROR = -32000;

function describeFailure(err: unknown, endpoint: URL): string {
  if (err instanceof StreamableHTTPError) {
    if (err.code === 401) return `rackd at ${endpoint.origin} refused the API key (401): check RACKD_API_KEY`;
    if (err.code === 403) return `rackd at ${endpoint.origin} answered 403: ${err.message}`;
    return `rackd at ${endpoint.origin} answered ${err.code ?? 'an error'}: ${err.message}`;
  }
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code || cause?.message) {
    return `cannot reach rackd at ${endpoint.origin} (${cause.code ?? cause.message}); is the server running and RACKD_URL right?`;
  }
  return `request to rackd at ${endpoint.origin} failed: ${(err as Error)?.message ?? String(err)}`;
}

/** Runs until stdin ends; resolves once in-flight requests have been answered. */
export async function runStdioBridge(opts: StdioBridgeOptions): Promise<void> {
  const stdin = opts.stdin ?? process.stdin;
  const endpoint = new URL('/mcp', opts.url);
  const log = opts.logger;
  const local = new StdioServerTransport(stdin, opts.stdout ?? process.stdout);
  const remote = new StreamableHTTPClientTransport(endpoint, {
    requestInit: { headers: { Authorization: `Bearer ${opts.apiKey}`, ...(opts.toolsets && { 'X-MCP-Toolsets': opts.toolsets }) } },
  });
  const initializeIds = new Set<string | number>();
  const inFlight = new Set<Promise<void>>();

  const reply = (message: JSONRPCMessage) =>
    local.send(message).catch((err: unknown) => log.error('cannot write to stdout', { err: String(err) }));

  async function forward(message: JSONRPCMessage): Promise<void> {
    if (isJSONRPCRequest(message) && message.method === 'initialize') initializeIds.add(message.id);
    try {
      await remote.send(message);
    } catch (err) {
      const text = describeFailure(err, endpoint);
      log.error(text, { method: 'method' in message ? message.method : undefined });
      // A request must get an answer, or the host waits forever; notifications have none.
      if (isJSONRPCRequest(message)) await reply({ jsonrpc: '2.0', id: message.id, error: { code: UPSTREAM_ERROR, message: text } });
    }
  }

  local.onmessage = (message) => {
    const p = forward(message).finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  local.onerror = (err) => log.warn('unreadable message on stdin', { err: err.message });
  remote.onmessage = (message) => {
    // Later requests must carry the negotiated version (MCP-Protocol-Version header).
    if (isJSONRPCResultResponse(message) && initializeIds.delete(message.id)) {
      const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
      if (typeof version === 'string') remote.setProtocolVersion(version);
    }
    void reply(message);
  };
  // send() failures are also reported here; forward() logs those with more context.
  remote.onerror = (err) => log.debug('upstream transport error', { err: err.message });

  const ended = new Promise<void>((resolve) => {
    stdin.once('end', resolve);
    stdin.once('close', resolve);
  });
  await remote.start();
  await local.start();
  log.info('bridging MCP stdio to rackd', { url: endpoint.href });
  await ended;
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  await remote.close();
  await local.close();
}
