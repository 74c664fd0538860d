// Caller-independent parts of the MCP surface, built once at start-up: each tool descriptor with
// its JSON Schemas. A request only filters them by the caller's permissions and the toolsets it
// chose. tools/list is what an assistant pays for before it does anything, so descriptors say
// the same in few bytes: input schemas keep every field's text (what a model reads to call the
// tool); output schemas keep only the shape (names, types, null), since the input side and the
// description already say what the fields mean; annotations state only what differs from MCP's
// defaults; boilerplate common to every tool lives once in the server instructions.
import { z } from 'zod';
import { hasPermission, type CallerContext } from '../auth/context.ts';
import { AppError } from '../platform/errors.ts';
import { isTool, requirementOf, satisfies, TOOLSETS, type Annotations, type Operation, type Toolset } from '../operations/types.ts';

type Json = Record<string, unknown>;

/** MCP's annotations; a hint left out means its default (readOnly false, destructive true, idempotent false, openWorld true). */
export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface ToolDescriptor {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; [k: string]: unknown };
  outputSchema: { type: 'object'; [k: string]: unknown };
  annotations: ToolAnnotations;
}

export interface PreparedTool {
  op: Operation;
  toolset: Toolset;
  descriptor: ToolDescriptor;
}

const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
/** Output keywords that restate what the input side validates, or say in prose what names say. */
const OUTPUT_ONLY_SHAPE = new Set(['description', 'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'default', 'additionalProperties', 'minItems', 'maxItems', 'required', 'enum']);

/**
 * `anyOf: [X, {type: null}]` → `X` with `type: [X.type, "null"]`, and a boolean that may also be
 * the string "true"/"false" (how a query string carries it) → a boolean: the same for a caller
 * sending JSON, shorter.
 */
function collapseNullable(j: Json): Json {
  const variants = j.anyOf;
  if (!Array.isArray(variants) || variants.length !== 2) return j;
  const text = variants.find((v: Json) => v.type === 'string' && Array.isArray(v.enum) && v.enum.length === 2 && v.enum.includes('true') && v.enum.includes('false'));
  if (text && variants.some((v: Json) => v.type === 'boolean' && Object.keys(v).length === 1)) {
    const { anyOf: _drop, ...rest } = j;
    return { type: 'boolean', ...rest };
  }
  const isNull = (v: Json) => v.type === 'null' && Object.keys(v).length === 1;
  const i = variants.findIndex(isNull);
  const other = variants[1 - i] as Json | undefined;
  if (i < 0 || !other || typeof other.type !== 'string') return j;
  const { anyOf: _drop, ...rest } = j;
  return { ...other, ...rest, type: [other.type, 'null'] };
}

/**
 * The lean form of a generated JSON Schema. Both sides: no $schema, no ±2^53 bounds (zod's
 * "integer" says that), nullable as a type list. Input: strictness (additionalProperties) stated
 * on the root only, no regex patterns or formats (each field's text names its format) and no string or
 * list length bounds — the server validates every input in full anyway and names the field. Output: the shape only (types, nesting, nullability;
 * `type` left out where `properties` or `items` say it).
 */
export function leanSchema(schema: Json, io: 'input' | 'output', depth = 0): Json {
  const j = collapseNullable(schema);
  const out: Json = {};
  for (const [k, v] of Object.entries(j)) {
    if (k === '$schema') continue;
    if ((k === 'minimum' && v === -SAFE_INTEGER) || (k === 'maximum' && v === SAFE_INTEGER)) continue;
    if (io === 'output' && (OUTPUT_ONLY_SHAPE.has(k) || (k === 'type' && ((v === 'object' && j.properties) || (v === 'array' && j.items))))) continue;
    if (io === 'input' && k === 'additionalProperties' && depth > 0) continue;
    // Formats are said in words (RFC 1123 host name, RFC 3339 time); the server checks the pattern.
    if (io === 'input' && (k === 'pattern' || k === 'format')) continue;
    // String and list length bounds are the server's business (it answers VALIDATION_ERROR naming
    // the field); a model needs the type, the range of a number and what the field means.
    if (io === 'input' && (k === 'minLength' || k === 'maxLength' || k === 'minItems' || k === 'maxItems')) continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as Record<string, Json>).map(([prop, p]) => [prop, leanSchema(p, io, depth + 1)]));
    else if (k === 'items' || k === 'additionalProperties') out[k] = typeof v === 'object' && v !== null ? leanSchema(v as Json, io, depth + 1) : v;
    else if ((k === 'anyOf' || k === 'oneOf' || k === 'allOf') && Array.isArray(v)) out[k] = v.map((x) => leanSchema(x as Json, io, depth));
    else if (k === '$defs' && typeof v === 'object' && v !== null) out[k] = Object.fromEntries(Object.entries(v as Record<string, Json>).map(([name, d]) => [name, leanSchema(d, io, depth + 1)]));
    else out[k] = v;
  }
  return out;
}

/** The full JSON Schema of an object-rooted zod schema (what the web UI's generic forms read: lengths, patterns, enums, help texts). */
export function fullObjectSchema(
  schema: z.ZodType,
  io: 'input' | 'output',
  where: string,
  unrepresentable: 'throw' | 'any' = 'throw',
): ToolDescriptor['inputSchema'] {
  const json = z.toJSONSchema(schema, { io, unrepresentable, target: 'draft-2020-12' }) as Json;
  if (json.type !== 'object') throw new Error(`${where}: MCP schemas must have an object root`);
  delete json.$schema;
  return json as ToolDescriptor['inputSchema'];
}

function objectSchema(schema: z.ZodType, io: 'input' | 'output', where: string): ToolDescriptor['inputSchema'] {
  // An output root keeps "type": "object" (MCP requires it), whatever leanSchema leaves out below.
  return { ...leanSchema(fullObjectSchema(schema, io, where), io), type: 'object' } as ToolDescriptor['inputSchema'];
}

/** Only the hints that differ from MCP's defaults (for a read-only tool the others mean nothing). */
export function toolAnnotations(a: Annotations): ToolAnnotations {
  const openWorld = a.openWorld === true ? {} : { openWorldHint: false };
  if (a.readOnly) return { readOnlyHint: true, ...openWorld };
  return { ...(a.destructive ? {} : { destructiveHint: false }), ...(a.idempotent ? { idempotentHint: true } : {}), ...openWorld };
}

export function prepareTools(ops: readonly Operation[]): PreparedTool[] {
  const seen = new Set<string>();
  return ops.filter(isTool).map((op) => {
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(op.name)) throw new Error(`bad tool name ${op.name}`);
    if (seen.has(op.name)) throw new Error(`duplicate tool name ${op.name}`);
    seen.add(op.name);
    if (op.annotations.readOnly && op.annotations.destructive) throw new Error(`${op.name}: read-only tools cannot be destructive`);
    return {
      op,
      toolset: op.toolset,
      descriptor: {
        name: op.name,
        title: op.title,
        description: op.description,
        inputSchema: objectSchema(op.input, 'input', `${op.name} input`),
        outputSchema: objectSchema(op.output, 'output', `${op.name} output`),
        annotations: toolAnnotations(op.annotations),
      },
    };
  });
}

/** A tool is offered when the caller's permissions can make the operation succeed. */
export const visibleTo = (tool: PreparedTool, ctx: CallerContext): boolean => satisfies(requirementOf(tool.op), (p) => hasPermission(ctx, p));

/**
 * The toolsets a client asked for (`?toolsets=inventory,ipam` or `X-MCP-Toolsets`), undefined
 * for all. An unknown name is refused rather than ignored, so a typo cannot silently hide tools.
 */
export function parseToolsets(...values: (string | undefined)[]): readonly Toolset[] | undefined {
  if (values.every((v) => !v)) return undefined; // the common request names none
  const names = values.flatMap((v) => (v ?? '').split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) return undefined;
  const unknown = names.filter((n) => !(TOOLSETS as readonly string[]).includes(n));
  if (unknown.length) {
    throw new AppError('VALIDATION_ERROR', `toolsets: unknown toolset ${unknown.join(', ')} (known: ${TOOLSETS.join(', ')})`, {
      details: [{ field: 'toolsets', message: `unknown: ${unknown.join(', ')}` }],
    });
  }
  return [...new Set(names)] as Toolset[];
}
