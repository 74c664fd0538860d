// GET /api/catalogue — the operation catalogue as the web UI needs it to build its generic pages:
// for each operation the caller may use, its name, title, description, permissions, annotations,
// REST bindings and full input/output JSON Schemas (the converter the MCP tools use), built once at start-up,
// plus the resources they group into. Built once; a request only filters it by permission, and
// the JSON (with its gzip and brotli forms) is cached per permission set, with an ETag.
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { hasPermission, type CallerContext } from '../../auth/context.ts';
import { fullObjectSchema } from '../../mcp/tools.ts';
import { responseKind, successStatus } from '../../operations/binding.ts';
import { bindingsOf, isTool, permissionsOf, requirementOf, satisfies, type Operation, type Requirement } from '../../operations/types.ts';
import { uiResources, type UiResource } from '../../web/resources.ts';
import type { AppEnv } from '../types.ts';

export interface CatalogueOperation {
  name: string;
  title: string;
  description: string;
  permissions: string[];
  /** How `permissions` combine: any one of them, all of them, none needed (any signed-in caller), or public. */
  permission_mode: Requirement['mode'];
  annotations: Operation['annotations'];
  rest_only: boolean;
  http: Array<{ method: string; path: string; status: number; response: string; forbid?: readonly string[]; fixed?: Record<string, unknown>; array_query?: readonly string[]; body?: string; body_key?: string }>;
  input: Record<string, unknown>;
  output: Record<string, unknown>;
}

interface Encoded {
  etag: string;
  json: Buffer;
  gzip: Buffer;
  br: Buffer;
}

const CACHE_MAX = 64;

function describe(op: Operation): CatalogueOperation {
  return {
    name: op.name,
    title: op.title,
    description: op.description,
    permissions: [...permissionsOf(op)],
    permission_mode: requirementOf(op).mode,
    annotations: op.annotations,
    rest_only: !isTool(op),
    http: bindingsOf(op).map((b) => ({
      method: b.method,
      path: b.path,
      status: successStatus(b),
      response: responseKind(b),
      ...(b.forbid && { forbid: b.forbid }),
      ...(b.fixed && { fixed: b.fixed }),
      ...(b.arrayQuery && { array_query: b.arrayQuery }),
      ...(b.body && { body: b.body }),
      ...(b.bodyKey && { body_key: b.bodyKey }),
    })),
    // The full schemas (lengths, patterns, enums, help texts) that forms need; the MCP tools carry lean ones.
    // REST-only outputs may hold what JSON Schema cannot say (an export's stream: `{}` there).
    input: fullObjectSchema(op.input, 'input', `${op.name} input`, 'any'),
    // Bodiless operations (sign-out, password changes) have a void output: nothing to describe.
    output: op.output.def.type === 'void' ? { type: 'object', properties: {} } : fullObjectSchema(op.output, 'output', `${op.name} output`, 'any'),
  };
}

export function catalogueDescriptorRoutes(ops: readonly Operation[]): Hono<AppEnv> {
  const all = ops.filter((op) => bindingsOf(op).length > 0).map((op) => ({ d: describe(op), req: requirementOf(op) }));
  const resources = uiResources(ops);
  const cache = new Map<string, Encoded>();

  const encode = (ctx: CallerContext): Encoded => {
    const visible = all.filter(({ req }) => req.mode !== 'public' && satisfies(req, (p) => hasPermission(ctx, p))).map(({ d }) => d);
    const key = visible.map((op) => op.name).join(',');
    let hit = cache.get(key);
    if (hit) return hit;
    const names = new Set(visible.map((op) => op.name));
    const keep = (r: UiResource): UiResource => ({
      ...r,
      operations: Object.fromEntries(Object.entries(r.operations).filter(([, n]) => names.has(n!))),
      actions: r.actions.filter((n) => names.has(n)),
    });
    const json = Buffer.from(JSON.stringify({ resources: resources.map(keep).filter((r) => r.operations.list), operations: visible }));
    hit = { etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`, json, gzip: gzipSync(json), br: brotliCompressSync(json) };
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, hit);
    return hit;
  };

  const app = new Hono<AppEnv>();
  app.get('/', (c) => {
    const e = encode(c.get('caller'));
    c.header('Cache-Control', 'private, no-cache');
    c.header('ETag', e.etag);
    c.header('Vary', 'Accept-Encoding, Cookie, Authorization');
    if (c.req.header('if-none-match') === e.etag) return c.body(null, 304);
    c.header('Content-Type', 'application/json; charset=utf-8');
    const accept = c.req.header('accept-encoding') ?? '';
    if (/\bbr\b/.test(accept)) {
      c.header('Content-Encoding', 'br');
      return c.body(new Uint8Array(e.br));
    }
    if (/\bgzip\b/.test(accept)) {
      c.header('Content-Encoding', 'gzip');
      return c.body(new Uint8Array(e.gzip));
    }
    return c.body(new Uint8Array(e.json));
  });
  return app;
}
