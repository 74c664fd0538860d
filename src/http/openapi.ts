// The OpenAPI 3.1 document of the REST API, built from the operation catalogue (one path item per
// REST binding) plus the hand-written endpoints of openapi-manual.ts. Shared by
// `GET /api/openapi.json` and scripts/emit-schemas.ts, so the committed file is what the server serves.
import { z } from 'zod';
import { ErrorEnvelopeSchema } from '../../schemas/common.ts';
import { SERVER_INFO } from '../mcp/server.ts';
import { bindingsOf, permissionsOf, type HttpBinding, type HttpMethod, type Operation } from '../operations/types.ts';
import { MANUAL_ENDPOINTS, type ManualEndpoint } from './openapi-manual.ts';

type Json = Record<string, unknown>;

const ERROR_RESPONSES: Record<string, { name: string; description: string; headers?: Json }> = {
  '400': { name: 'BadRequest', description: 'Invalid input (VALIDATION_ERROR names each field, INVALID_JSON, INVALID_INPUT, …)' },
  '401': {
    name: 'Unauthorized',
    description: 'Missing, invalid or expired credentials (UNAUTHORIZED, EXPIRED_KEY)',
    headers: { 'WWW-Authenticate': { description: 'Bearer challenge', schema: { type: 'string' } } },
  },
  '403': { name: 'Forbidden', description: 'The caller lacks the permission (FORBIDDEN), or a cookie-authenticated write lacks X-Requested-With (CSRF_FAILED)' },
  '404': { name: 'NotFound', description: 'No such resource (NOT_FOUND)' },
  '409': { name: 'Conflict', description: 'A constraint stops the change (ALREADY_EXISTS, CONFLICT, IN_USE, IP_NOT_AVAILABLE)' },
  '429': {
    name: 'TooManyRequests',
    description: 'Rate limit exceeded (RATE_LIMIT_EXCEEDED)',
    headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
  },
};

const METHOD_ORDER: readonly HttpMethod[] = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'];
const SECURED = [{ bearerAuth: [] }, { cookieAuth: [] }];
const TOTAL_HEADER = { 'X-Total-Count': { description: 'Number of items matching the filters, across all pages', schema: { type: 'integer' } } };

/** Collects component schemas: recursive parts must live there, since `#` in the document means its root. */
class Components {
  readonly schemas = new Map<string, Json>();

  schema(schema: z.ZodType, io: 'input' | 'output', name: string): Json {
    const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
    delete json.$schema;
    if (!JSON.stringify(json).includes('"$ref"')) return json;
    const defs = (json.$defs ?? {}) as Record<string, Json>;
    delete json.$defs;
    const rewrite = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(rewrite);
      if (v === null || typeof v !== 'object') return v;
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => {
          if (k !== '$ref' || typeof x !== 'string') return [k, rewrite(x)];
          if (x === '#') return [k, `#/components/schemas/${name}`];
          return [k, x.replace(/^#\/\$defs\/(.+)$/, (_m, d: string) => `#/components/schemas/${name}_${d}`)];
        }),
      );
    };
    for (const [d, def] of Object.entries(defs)) this.schemas.set(`${name}_${d}`, rewrite(def) as Json);
    const root = rewrite(json) as Json;
    // Only a schema that refers to itself must be referenced; one with recursive parts stays inline.
    if (!JSON.stringify(json).includes('"$ref":"#"')) return root;
    this.schemas.set(name, root);
    return { $ref: `#/components/schemas/${name}` };
  }
}

const oasPath = (honoPath: string): string => honoPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const pathParams = (path: string): string[] => [...path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!);
const capitalize = (s: string): string => s.replace(/(^|[_-])([a-z])/g, (_m, _s, c: string) => c.toUpperCase());

function withoutDescription(schema: Json): Json {
  const { description: _d, ...rest } = schema;
  return rest;
}

interface InputShape {
  method: HttpMethod;
  path: string;
  /** Object-root JSON Schema of the whole input (path params included). */
  json: Json | undefined;
  /** Input keys the route neither reads from the query nor the body. */
  exclude: ReadonlySet<string>;
  body?: HttpBinding['body'];
  bodyKey?: string;
  /** Route-level aliases: `{ alias: inputKey }`. */
  rename?: Record<string, string>;
  /** Keys the create route (POST) of a save operation refuses: as path params they select the record to update. */
  updateKeys?: ReadonlySet<string>;
}

/** Path params, query params (GET/DELETE) and the JSON body (POST/PUT/PATCH, or as the binding says) of one route. */
function requestParts(s: InputShape): { parameters: Json[]; requestBody?: Json } {
  const props = (s.json?.properties ?? {}) as Record<string, Json>;
  const required = new Set((s.json?.required ?? []) as string[]);
  const params = pathParams(s.path);
  const parameters: Json[] = params.map((p) => ({
    name: p,
    in: 'path',
    required: true,
    description: s.updateKeys?.has(p) ? 'Identifier of the record to update' : ((props[p]?.description as string | undefined) ?? 'Identifier'),
    schema: props[p] ? withoutDescription(props[p]) : { type: 'string' },
  }));
  const skip = new Set([...params, ...s.exclude]);
  if (s.body === 'array') {
    const key = s.bodyKey ?? 'items';
    const schema = props[key];
    if (!schema) throw new Error(`${s.method} ${s.path}: the array body key ${key} is not an input property`);
    return { parameters, requestBody: { required: true, ...(schema.description !== undefined && { description: schema.description }), content: { 'application/json': { schema: withoutDescription(schema) } } } };
  }
  const rest = Object.entries(props).filter(([k]) => !skip.has(k));
  const aliasesOf = (key: string) => Object.entries(s.rename ?? {}).filter(([, k]) => k === key).map(([a]) => a);
  if (s.body === undefined && (s.method === 'GET' || s.method === 'DELETE')) {
    for (const [name, schema] of rest) {
      const aliases = aliasesOf(name);
      // OpenAPI cannot say "one of these two is required", so an aliased key is optional here and the description says so.
      const either = aliases.length > 0 && required.has(name) ? ` Required: give ${[name, ...aliases].join(' or ')}.` : '';
      const param = (n: string, description: string | undefined): Json => ({
        name: n,
        in: 'query',
        required: required.has(name) && aliases.length === 0,
        ...(description !== undefined && { description }),
        schema: withoutDescription(schema),
        ...(schema.type === 'array' && { style: 'form', explode: true }),
      });
      parameters.push(param(name, schema.description !== undefined || either ? `${(schema.description as string | undefined) ?? ''}${either}`.trim() : undefined));
      for (const a of aliases) parameters.push(param(a, `Alias of \`${name}\`.${either}`));
    }
    return { parameters };
  }
  if (rest.length === 0) return { parameters };
  const bodyRequired = [...required].filter((k) => !skip.has(k) && aliasesOf(k).length === 0);
  const bodyProps: Record<string, Json> = Object.fromEntries(rest);
  for (const [name, schema] of rest) for (const a of aliasesOf(name)) bodyProps[a] = { ...schema, description: `Alias of \`${name}\`` };
  const body: Json = { ...s.json, properties: bodyProps };
  if (bodyRequired.length) body.required = bodyRequired;
  else delete body.required;
  return { parameters, requestBody: { required: bodyRequired.length > 0, content: { 'application/json': { schema: body } } } };
}

function errorResponses(isPublic: boolean): Json {
  const out: Json = {};
  for (const [status, r] of Object.entries(ERROR_RESPONSES)) {
    if (isPublic && (status === '401' || status === '403')) continue;
    out[status] = { $ref: `#/components/responses/${r.name}` };
  }
  return out;
}

function permissionNote(perms: readonly string[], anyOf: boolean): string {
  if (perms.length === 0) return '';
  const list = perms.map((p) => `\`${p}\``).join(anyOf ? ' or ' : ' and ');
  return `\n\nRequires permission ${list}.`;
}

function catalogueOperation(op: Operation, b: HttpBinding, operationId: string, comps: Components): Json {
  const path = oasPath(b.path);
  const input = comps.schema(op.input, 'input', `${capitalize(op.name)}Input`);
  const exclude = new Set([...(b.forbid ?? []), ...Object.keys(b.fixed ?? {})]);
  if (input.$ref) throw new Error(`${op.name}: recursive input schemas cannot be spread into parameters`);
  const { parameters, requestBody } = requestParts({ method: b.method, path, json: input, exclude, body: b.body, bodyKey: b.bodyKey, rename: b.rename, updateKeys: new Set(bindingsOf(op).filter((x) => x.method === 'POST').flatMap((x) => x.forbid ?? [])) });
  const empty = b.response === 'empty' || b.status === 204;
  const status = String(empty ? 204 : (b.status ?? 200));
  let success: Json;
  if (empty) {
    success = { description: 'Done; no content' };
  } else {
    const out = comps.schema(op.output, 'output', `${capitalize(op.name)}Output`);
    if (b.response === 'items') {
      const items = ((out.properties ?? {}) as Record<string, Json>).items;
      if (!items || items.type !== 'array') throw new Error(`${op.name}: response 'items' needs an output with an items array`);
      success = { description: 'A page of items as a bare array', headers: TOTAL_HEADER, content: { 'application/json': { schema: items } } };
    } else {
      success = { description: 'Success', content: { 'application/json': { schema: out } } };
    }
  }
  const perms = permissionsOf(op);
  return {
    operationId,
    summary: b.summary ?? op.title,
    description: op.description + permissionNote(perms, true),
    tags: [tagOf(path)],
    security: SECURED,
    ...(parameters.length && { parameters }),
    ...(requestBody && { requestBody }),
    responses: { [status]: success, ...errorResponses(false) },
    'x-rackd-permissions': [...perms],
    ...(!op.restOnly && { 'x-mcp-tool': op.name }),
  };
}

function manualOperation(e: ManualEndpoint, comps: Components): Json {
  const name = capitalize(e.operationId);
  const input = e.input ? comps.schema(e.input, 'input', `${name}Input`) : undefined;
  const { parameters, requestBody } = requestParts({ method: e.method, path: e.path, json: input, exclude: new Set() });
  const r = e.response;
  const schema = r.schema ? comps.schema(r.schema, 'output', `${name}Output`) : undefined;
  const success: Json = { description: 'Success' };
  if (r.kind === 'items') Object.assign(success, { description: 'A page of items as a bare array', headers: TOTAL_HEADER, content: { 'application/json': { schema: { type: 'array', items: schema } } } });
  else if (r.kind === 'body') success.content = { 'application/json': { schema } };
  else if (r.kind === 'text') success.content = { 'text/plain': { schema } };
  else if (r.kind === 'export') {
    Object.assign(success, {
      description: 'The export as an attachment',
      headers: { 'Content-Disposition': { description: 'attachment; filename="…"', schema: { type: 'string' } } },
      content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'array', items: schema } } },
    });
  } else success.description = 'Done; no content';
  const responses: Json = { [String(r.status)]: success };
  for (const s of e.alsoStatus ?? []) responses[String(s)] = s >= 500 ? { description: 'Not ready', content: success.content } : { description: 'Success' };
  return {
    operationId: e.operationId,
    summary: e.summary,
    description: e.description + permissionNote(e.permissions, false),
    tags: [e.tag],
    security: e.public ? [] : SECURED,
    ...(parameters.length && { parameters }),
    ...(requestBody && { requestBody }),
    responses: { ...responses, ...errorResponses(e.public ?? false) },
    ...(e.permissions.length && { 'x-rackd-permissions': [...e.permissions] }),
  };
}

/** The domain tag of a path: its first segment after /api (`/api/pools/{id}/allocate` → pools). */
function tagOf(path: string): string {
  const seg = path.replace(/^\/api\//, '').split('/')[0]!;
  return seg.startsWith('{') ? 'other' : seg;
}

export function buildOpenApi(ops: readonly Operation[], manual: readonly ManualEndpoint[] = MANUAL_ENDPOINTS): Json {
  const comps = new Components();
  const paths = new Map<string, Map<HttpMethod, Json>>();
  const ids = new Set<string>();
  const add = (path: string, method: HttpMethod, operation: Json) => {
    const id = operation.operationId as string;
    if (ids.has(id)) throw new Error(`duplicate operationId ${id}`);
    ids.add(id);
    const item = paths.get(path) ?? new Map<HttpMethod, Json>();
    if (item.has(method)) throw new Error(`${method} ${path} is described twice`);
    item.set(method, operation);
    paths.set(path, item);
  };
  for (const op of ops) {
    bindingsOf(op).forEach((b, i) => {
      let id = i === 0 ? op.name : `${op.name}_${b.method.toLowerCase()}`;
      if (ids.has(id)) id = `${op.name}_${i + 1}`;
      add(oasPath(b.path), b.method, catalogueOperation(op, b, id, comps));
    });
  }
  for (const e of manual) add(e.path, e.method, manualOperation(e, comps));

  const sortedPaths: Json = {};
  for (const path of [...paths.keys()].sort()) {
    const item = paths.get(path)!;
    sortedPaths[path] = Object.fromEntries(METHOD_ORDER.filter((m) => item.has(m)).map((m) => [m.toLowerCase(), item.get(m)]));
  }
  const tags = new Set<string>();
  for (const item of Object.values(sortedPaths) as Json[]) for (const o of Object.values(item) as Json[]) for (const t of o.tags as string[]) tags.add(t);

  comps.schemas.set('ErrorEnvelope', comps.schema(ErrorEnvelopeSchema, 'output', 'ErrorEnvelope'));
  const responses = Object.fromEntries(
    Object.values(ERROR_RESPONSES).map((r) => [
      r.name,
      { description: r.description, ...(r.headers && { headers: r.headers }), content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } } },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'rackd REST API',
      version: SERVER_INFO.version,
      description:
        'IP address management and device inventory. The same operations are MCP tools at /mcp (see x-mcp-tool). ' +
        'JSON fields are snake_case; lists are bare arrays with the total in X-Total-Count and accept limit (≤ 1000) and offset. ' +
        'Errors are {error, code, details?}. Cookie-authenticated writes must send X-Requested-With: XMLHttpRequest.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: [...tags].sort().map((name) => ({ name })),
    paths: sortedPaths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <credential>: an API key (rackd_…) or an OAuth 2.1 access token issued by this server' },
        cookieAuth: { type: 'apiKey', in: 'cookie', name: 'rackd_session', description: 'The session cookie set by POST /api/auth/login' },
      },
      schemas: Object.fromEntries([...comps.schemas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      responses,
    },
  };
}

let cached: { ops: readonly Operation[]; doc: Json } | undefined;

/** The document for a catalogue, built once per process (the catalogue does not change at run time). */
export function openApiDocument(ops: readonly Operation[]): Json {
  if (cached?.ops !== ops) cached = { ops, doc: buildOpenApi(ops) };
  return cached.doc;
}
