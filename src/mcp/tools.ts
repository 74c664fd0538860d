// Caller-independent parts of the MCP surface, built once at start-up: each operation's tool
// descriptor with its JSON Schemas. A request only filters these by the caller's permissions.
import { z } from 'zod';
import { hasPermission, type CallerContext } from '../auth/context.ts';
import { isTool, requirementOf, satisfies, type Operation } from '../operations/types.ts';

export interface ToolDescriptor {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; [k: string]: unknown };
  outputSchema: { type: 'object'; [k: string]: unknown };
  annotations: { title: string; readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean };
}

export interface PreparedTool {
  op: Operation;
  descriptor: ToolDescriptor;
}

function objectSchema(schema: z.ZodType, io: 'input' | 'output', where: string): ToolDescriptor['inputSchema'] {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'throw', target: 'draft-2020-12' }) as Record<string, unknown>;
  if (json.type !== 'object') throw new Error(`${where}: MCP schemas must have an object root`);
  delete json.$schema;
  return json as ToolDescriptor['inputSchema'];
}

export function prepareTools(ops: readonly Operation[]): PreparedTool[] {
  const seen = new Set<string>();
  return ops
    .filter(isTool)
    .map((op) => {
      if (!/^[A-Za-z0-9._-]{1,128}$/.test(op.name)) throw new Error(`bad tool name ${op.name}`);
      if (seen.has(op.name)) throw new Error(`duplicate tool name ${op.name}`);
      seen.add(op.name);
      if (op.annotations.readOnly && op.annotations.destructive) throw new Error(`${op.name}: read-only tools cannot be destructive`);
      return {
        op,
        descriptor: {
          name: op.name,
          title: op.title,
          description: op.description,
          inputSchema: objectSchema(op.input, 'input', `${op.name} input`),
          outputSchema: objectSchema(op.output, 'output', `${op.name} output`),
          annotations: {
            title: op.title,
            readOnlyHint: op.annotations.readOnly,
            destructiveHint: op.annotations.destructive,
            idempotentHint: op.annotations.idempotent,
            openWorldHint: false,
          },
        },
      };
    });
}

/** A tool is offered when the caller's permissions can make the operation succeed. */
export const visibleTo = (tool: PreparedTool, ctx: CallerContext): boolean => satisfies(requirementOf(tool.op), (p) => hasPermission(ctx, p));
