// A fresh low-level MCP Server per request, closing over the caller's context. Tool descriptors
// come precomputed from tools.ts; errors become tool results with isError and a stable code.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  type CallToolResult,
  type ProgressToken,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallerContext } from '../auth/context.ts';
import { AppError, fromZodIssues, toAppError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import type { RunContext, Toolset } from '../operations/types.ts';
import type { ServiceEnv } from '../services/env.ts';
import { visibleTo, type PreparedTool } from './tools.ts';

export const SERVER_INFO = { name: 'rackd', title: 'rackd IPAM and inventory', version: '0.1.0' };

// What holds for every tool, said once here instead of in each description.
export const INSTRUCTIONS =
  'rackd is an IP address management and device inventory. Use `search` to find devices, networks and ' +
  'datacenters by any text. List tools return {items, total, next_cursor}: pass next_cursor as `cursor` for ' +
  'the next page (null on the last). Outputs always carry every field their schema lists (null when unset); ' +
  'times are ISO-8601 UTC. Save tools create without `id` and update with it: only the fields sent change. ' +
  'To hand out an address use `ip_allocate` (atomic; pass an idempotency_key when retrying) rather than ' +
  'pool_get_next_ip followed by a separate write. Unknown arguments are rejected, never ignored. Errors carry ' +
  'a stable `code` (FORBIDDEN: the credential lacks the permission; NOT_FOUND; VALIDATION_ERROR names each field).';

export function toolError(err: AppError): CallToolResult {
  const error = { code: err.code, message: err.message, ...(err.details?.length ? { details: err.details } : {}) };
  return {
    isError: true,
    content: [{ type: 'text', text: JSON.stringify({ error }) }],
    _meta: { 'rackd/error': error },
  };
}

type CallExtra = Pick<RequestHandlerExtra<ServerRequest, ServerNotification>, 'sendNotification' | 'signal'>;

/**
 * Progress notifications go out only when the client asked for them with a progress token, and
 * only when the value grew: MCP requires progress to increase with each notification, so a
 * repeated value (a scan reporting its last count again as it finishes) is not sent twice.
 */
export function runContextOf(progressToken: ProgressToken | undefined, extra: CallExtra, budgetMs?: number): RunContext {
  if (progressToken === undefined) return { signal: extra.signal, budgetMs };
  let last = -Infinity;
  return {
    signal: extra.signal,
    budgetMs,
    progress: async (progress, total, message) => {
      if (!(progress > last)) return;
      last = progress;
      await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, total, ...(message !== undefined && { message }) } });
    },
  };
}

/** A JSON-RPC error the SDK sends as is (McpError would put "MCP error -32602:" into the message, and the client adds it again). */
class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface McpServerOptions {
  /** How long a tool call may take (JSON responses must beat REQUEST_TIMEOUT); absent: no limit. */
  budgetMs?: number;
  /** The toolsets the client chose on connecting; absent: every tool. Others are neither listed nor callable. */
  toolsets?: readonly Toolset[];
}

// The SDK builds a new Ajv instance for every Server it constructs unless given one: that was half
// the cost of a per-request server (bench/mcp-vs-rest). The validator is only used to check
// elicitation answers and caches compiled schemas by content, so one instance serves every request.
const jsonSchemaValidator = new AjvJsonSchemaValidator();

interface ToolIndex {
  tools: readonly PreparedTool[];
  byName: ReadonlyMap<string, PreparedTool>;
}

// The tools of each toolset choice and their by-name index, built on first use instead of on
// every request (a stateless client repeats its choice on each POST; few choices ever occur).
const indexes = new WeakMap<readonly PreparedTool[], Map<string, ToolIndex>>();

function toolIndex(all: readonly PreparedTool[], toolsets: readonly Toolset[] | undefined): ToolIndex {
  let byChoice = indexes.get(all);
  if (!byChoice) indexes.set(all, (byChoice = new Map()));
  const key = toolsets ? [...toolsets].sort().join(',') : '*';
  let index = byChoice.get(key);
  if (!index) {
    const tools = toolsets ? all.filter((t) => toolsets.includes(t.toolset)) : all;
    byChoice.set(key, (index = { tools, byName: new Map(tools.map((t) => [t.op.name, t])) }));
  }
  return index;
}

export function createMcpServer(env: ServiceEnv, ctx: CallerContext, all: readonly PreparedTool[], logger: Logger, opts: McpServerOptions = {}): Server {
  const { tools, byName } = toolIndex(all, opts.toolsets);
  const server = new Server(SERVER_INFO, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS, jsonSchemaValidator });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.filter((t) => visibleTo(t, ctx)).map((t) => t.descriptor),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    if (!tool) throw new ProtocolError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const parsed = tool.op.input.safeParse(request.params.arguments ?? {});
    if (!parsed.success) return toolError(fromZodIssues(parsed.error.issues));
    try {
      const output = await tool.op.run(env, ctx, parsed.data, runContextOf(request.params._meta?.progressToken, extra, opts.budgetMs));
      return { content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent: output as Record<string, unknown> };
    } catch (err) {
      const app = toAppError(err);
      if (app.code === 'INTERNAL_ERROR') logger.error('tool failed', { tool: tool.op.name, err: err as Error });
      return toolError(app);
    }
  });
  return server;
}
