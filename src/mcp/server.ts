// A fresh low-level MCP Server per request, closing over the caller's context. Tool descriptors
// come precomputed from tools.ts; errors become tool results with isError and a stable code.
import { z } from 'zod';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import {
  ErrorCode,
  ListToolsRequestSchema,
  type CallToolResult,
  type ProgressToken,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallerContext } from '../auth/context.ts';
import { AppError, toAppError } from '../platform/errors.ts';
import { gateInput } from '../operations/input-gate.ts';
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
export class ProtocolError extends Error {
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

/** What reaches the tools/call handler: the method, and params of any shape (checked by toolCallParams). */
const AnyToolCallSchema = z.object({ method: z.literal('tools/call'), params: z.unknown().optional() });

interface ToolCallParams {
  name: string;
  arguments?: Record<string, unknown>;
  _meta?: { progressToken?: ProgressToken };
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalidParams = (message: string) => new ProtocolError(ErrorCode.InvalidParams, `Invalid params: ${message}`);

/** The params of a tools/call, or -32602 naming what is wrong with them. */
export function toolCallParams(params: unknown): ToolCallParams {
  if (!isObject(params)) throw invalidParams('tools/call needs params {name, arguments}');
  if (typeof params.name !== 'string') throw invalidParams('name must be a string (the tool name)');
  if (params.arguments !== undefined && !isObject(params.arguments)) throw invalidParams('arguments must be an object');
  // _meta (progressToken) is checked by the transport with the JSON-RPC message itself.
  return params as unknown as ToolCallParams;
}

interface ToolIndex {
  tools: readonly PreparedTool[];
  byName: ReadonlyMap<string, PreparedTool>;
}

// The tools of each toolset choice and their by-name index, built on first use instead of on
// every request (a stateless client repeats its choice on each POST; few choices ever occur).
const indexes = new WeakMap<readonly PreparedTool[], Map<string, ToolIndex>>();

export function toolIndex(all: readonly PreparedTool[], toolsets: readonly Toolset[] | undefined): ToolIndex {
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

/**
 * One tools/call: params checked (-32602 ProtocolError when malformed or the tool is unknown),
 * arguments through the input gate, the operation run; its failures become tool results with
 * isError. Shared by the SDK server and the /mcp fast path (http.ts).
 */
export async function callTool(
  env: ServiceEnv,
  ctx: CallerContext,
  byName: ReadonlyMap<string, PreparedTool>,
  rawParams: unknown,
  extra: CallExtra,
  logger: Logger,
  budgetMs?: number,
): Promise<CallToolResult> {
  const params = toolCallParams(rawParams);
  const tool = byName.get(params.name);
  if (!tool) throw new ProtocolError(ErrorCode.InvalidParams, `Unknown tool: ${params.name}`);
  const parsed = gateInput(tool.op, params.arguments ?? {});
  if (!parsed.ok) return toolError(parsed.error);
  try {
    const output = await tool.op.run(env, ctx, parsed.data, runContextOf(params._meta?.progressToken, extra, budgetMs));
    return { content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent: output as Record<string, unknown> };
  } catch (err) {
    const app = toAppError(err);
    if (app.code === 'INTERNAL_ERROR') logger.error('tool failed', { tool: tool.op.name, err: err as Error });
    return toolError(app);
  }
}

export function createMcpServer(env: ServiceEnv, ctx: CallerContext, all: readonly PreparedTool[], logger: Logger, opts: McpServerOptions = {}): Server {
  const { tools, byName } = toolIndex(all, opts.toolsets);
  const server = new Server(SERVER_INFO, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS, jsonSchemaValidator });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.filter((t) => visibleTo(t, ctx)).map((t) => t.descriptor),
  }));

  // tools/call is registered on the Protocol itself with a schema that takes any params, and its
  // params are checked here: the SDK's own schema would turn `name: 5` or `arguments: []` into
  // -32603 Internal error with a zod dump; they are -32602 Invalid params with a plain message.
  Protocol.prototype.setRequestHandler.call(server, AnyToolCallSchema, (request: { params?: unknown }, extra: CallExtra): Promise<CallToolResult> =>
    callTool(env, ctx, byName, request.params, extra, logger, opts.budgetMs),
  );
  return server;
}
