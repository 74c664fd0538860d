// The one input gate: every surface (REST body and query string, MCP tool arguments, stdio) hands
// an operation's raw input here, and only what passes reaches the operation. The rules hold for
// every operation, so no route or tool repeats them:
//
// - strings (keys too) are well-formed Unicode: a lone surrogate ("a\ud800b") is refused rather
//   than stored as invalid UTF-8 and read back as U+FFFD;
// - the operation's strict zod schema decides everything else: integers are integers (never
//   coerced from true, [7] or "0x10"), dates real RFC 3339 date-times, unknown keys refused;
// - a query string carries text only, so it is decoded here by the schema's own types before
//   zod sees it: an integer field takes plain decimal digits, a boolean field `true` or `false`;
//   anything else stays text and the schema refuses it, naming the field.
import { z } from 'zod';
import { AppError, fromZodIssues } from '../platform/errors.ts';
import type { Operation } from './types.ts';

type Scalar = 'integer' | 'number' | 'boolean' | 'string';
type Json = Record<string, unknown>;

// At most 16 digits: anything longer is not a safe integer, and the schema's bound names it.
const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]{0,15})$/;
const DECIMAL_NUMBER = /^-?(0|[1-9][0-9]{0,15})(\.[0-9]{1,16})?$/;

// ES2024's String.prototype.isWellFormed / toWellFormed (Node 20 has them; the ES2023 lib does not type them).
type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string };
const isWellFormed = (s: string): boolean => (s as Es2024String).isWellFormed();

/**
 * The path of the first string (value or key) in `value` that is not well-formed Unicode. Every
 * request's input passes here, so the walk shares one path stack and copies it only on a find.
 */
export function illFormedPath(value: unknown, path: PropertyKey[] = []): PropertyKey[] | undefined {
  if (typeof value === 'string') return isWellFormed(value) ? undefined : [...path];
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const bad = illFormedPath(value[i], path);
      path.pop();
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (!isWellFormed(key)) return [...path, (key as Es2024String).toWellFormed()];
    path.push(key);
    const bad = illFormedPath((value as Record<string, unknown>)[key], path);
    path.pop();
    if (bad !== undefined) return bad;
  }
  return undefined;
}

/** What one query parameter's value becomes: the scalar type of the field (or of its items). */
function scalarOf(prop: Json | undefined): Scalar {
  if (!prop) return 'string';
  const types = new Set<string>();
  const collect = (p: Json) => {
    const t = p.type;
    if (typeof t === 'string') types.add(t === 'array' && p.items ? '' : t);
    else if (Array.isArray(t)) for (const x of t) types.add(String(x));
    if (t === 'array' && p.items && typeof p.items === 'object') collect(p.items as Json);
    for (const k of ['anyOf', 'oneOf'] as const) if (Array.isArray(p[k])) for (const v of p[k] as Json[]) collect(v);
  };
  collect(prop);
  if (types.has('string')) return 'string';
  if (types.has('integer')) return 'integer';
  if (types.has('number')) return 'number';
  if (types.has('boolean')) return 'boolean';
  return 'string';
}

function decodeScalar(kind: Scalar, text: string): unknown {
  switch (kind) {
    case 'integer':
      return DECIMAL_INTEGER.test(text) ? Number(text) : text;
    case 'number':
      return DECIMAL_NUMBER.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}

export type QueryDecoder = (query: Record<string, unknown>, keys: Iterable<string>) => void;

/**
 * A decoder for the query-string fields of an operation's input, built once from its input
 * JSON Schema: it turns the named keys' text into the field's type where the text is exactly
 * that type's plain form, and leaves everything else for the schema to refuse.
 */
export function queryDecoder(schema: z.ZodType): QueryDecoder {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  const props = (json.properties ?? {}) as Record<string, Json>;
  const kinds = new Map<string, Scalar>();
  for (const [name, prop] of Object.entries(props)) {
    const kind = scalarOf(prop);
    if (kind !== 'string') kinds.set(name, kind);
  }
  return (query, keys) => {
    for (const key of keys) {
      const kind = Object.hasOwn(query, key) ? kinds.get(key) : undefined;
      if (kind === undefined) continue;
      const v = query[key];
      if (typeof v === 'string') query[key] = decodeScalar(kind, v);
      else if (Array.isArray(v)) query[key] = v.map((x) => (typeof x === 'string' ? decodeScalar(kind, x) : x));
    }
  };
}

const ILL_FORMED = 'must be well-formed Unicode (a lone surrogate was sent)';

export interface GateOptions {
  /** Rewrites zod issue paths before they become details (REST array bodies name items `devices[3].name`). */
  mapPath?: (path: ReadonlyArray<PropertyKey>) => PropertyKey[];
}

/** The operation's parsed input, or the AppError (400) that says what is wrong with it. */
export function gateInput<O extends Operation>(op: O, raw: unknown, opts: GateOptions = {}): { ok: true; data: unknown } | { ok: false; error: AppError } {
  const bad = illFormedPath(raw);
  const parsed = bad === undefined ? op.input.safeParse(raw) : undefined;
  if (parsed?.success) return { ok: true, data: parsed.data };
  if (op.inputError) return { ok: false, error: new AppError(op.inputError.code, op.inputError.message) };
  const mapPath = opts.mapPath ?? ((p: ReadonlyArray<PropertyKey>) => [...p]);
  const issues = parsed ? parsed.error.issues : [{ path: bad!, message: ILL_FORMED }];
  return { ok: false, error: fromZodIssues(issues.map((i) => ({ ...i, path: mapPath(i.path) }))) };
}
