// The real MCP SDK client over Streamable HTTP against a test server.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export async function connectMcp(baseUrl: string, token: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'rackd-tests', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), {
    requestInit: { headers: { Authorization: `Bearer ${token}`, ...headers } },
  });
  await client.connect(transport);
  return client;
}

export interface ToolOutcome<T = any> {
  ok: boolean;
  data: T;
  error?: { code: string; message: string; details?: { field: string; message: string }[] };
  raw: CallToolResult;
}

/** Calls a tool and unpacks structuredContent, or the error a failed call carries. */
export async function callTool<T = any>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolOutcome<T>> {
  const raw = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (raw.isError) {
    const text = raw.content?.find((c) => c.type === 'text') as { text: string } | undefined;
    const parsed = text ? (JSON.parse(text.text) as { error: ToolOutcome['error'] }) : { error: undefined };
    return { ok: false, data: undefined as T, error: parsed.error, raw };
  }
  return { ok: true, data: raw.structuredContent as T, raw };
}

const HINT_DEFAULTS = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true } as const;

/** A tool's annotation hint as MCP defines it: a hint the server leaves out has its default. */
export function hint(tool: { annotations?: Record<string, unknown> }, name: keyof typeof HINT_DEFAULTS): boolean {
  const v = tool.annotations?.[name];
  return typeof v === 'boolean' ? v : HINT_DEFAULTS[name];
}
