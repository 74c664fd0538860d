// The OpenAPI 3.1 document of the REST API, built from the operation catalogue alone: one path
// item per REST binding, read through the same binding rules the routes apply
// (operations/binding.ts). Shared by `GET /api/openapi.json` and scripts/emit-schemas.ts, so the
// committed file is what the server serves. Health checks, OAuth discovery documents and the
// OAuth protocol endpoints are not REST operations; docs/api.md describes them.
import { z } from 'zod';
import { ErrorEnvelopeSchema } from '../../schemas/common.ts';
import { SERVER_INFO } from '../mcp/server.ts';
import { arrayKey, inputSource, pathParams, responseKind, routeOnlyKeys, successStatus } from '../operations/binding.ts';
import { bindingsOf, isTool, requirementOf, type HttpBinding, type HttpMethod, type Operation } from '../operations/types.ts';

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
const capitalize = (s: string): string => s.replace(/(^|[_-])([a-z])/g, (_m, _s, c: string) => c.toUpperCase());

function withoutDescription(schema: Json): Json {
  const { description: _d, ...rest } = schema;
  return rest;
}

/** Path params, query params and the JSON body of one route, as the binding rules read them. */
function requestParts(b: HttpBinding, json: Json, updateKeys: ReadonlySet<string>): { parameters: Json[]; requestBody?: Json } {
  const props = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  const parameters: Json[] = pathParams(b.path).map((p) => ({
    name: p,
    in: 'path',
    required: true,
    description: updateKeys.has(p) ? 'Identifier of the record to update' : ((props[p]?.description as string | undefined) ?? 'Identifier'),
    schema: props[p] ? withoutDescription(props[p]) : { type: 'string' },
  }));
  const source = inputSource(b);
  if (source === 'array') {
    const key = arrayKey(b);
    const schema = props[key];
    if (!schema) throw new Error(`${b.method} ${b.path}: the array body key ${key} is not an input property`);
    return { parameters, requestBody: { required: true, ...(schema.description !== undefined && { description: schema.description }), content: { 'application/json': { schema: withoutDescription(schema) } } } };
  }
  const skip = routeOnlyKeys(b);
  const rest = Object.entries(props).filter(([k]) => !skip.has(k));
  const aliasesOf = (key: string) => Object.entries(b.rename ?? {}).filter(([, k]) => k === key).map(([a]) => a);
  if (source === 'query') {
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
  const body: Json = { ...json, properties: bodyProps };
  if (bodyRequired.length) body.required = bodyRequired;
  else delete body.required;
  return { parameters, requestBody: { required: bodyRequired.length > 0 || b.requireBody === true, content: { 'application/json': { schema: body } } } };
}

function errorResponses(isPublic: boolean): Json {
  const out: Json = {};
  for (const [status, r] of Object.entries(ERROR_RESPONSES)) {
    if (isPublic && status === '403') continue;
    out[status] = { $ref: `#/components/responses/${r.name}` };
  }
  return out;
}

function permissionNote(op: Operation): string {
  const r = requirementOf(op);
  if (r.mode === 'public') return '\n\nNo credentials needed.';
  if (r.mode === 'none') return '\n\nAny authenticated caller.';
  const list = r.permissions.map((p) => `\`${p}\``).join(r.mode === 'all' ? ' and ' : ' or ');
  return `\n\nRequires permission ${list}.`;
}

/** The success response(s) of a route, by response kind. */
function successResponses(op: Operation, b: HttpBinding, comps: Components): Json {
  const status = String(successStatus(b));
  const kind = responseKind(b);
  const outputOf = () => comps.schema(op.output, 'output', `${capitalize(op.name)}Output`);
  const out: Json = {};
  if (kind === 'empty' || kind === 'end-session') {
    out[status] = { description: kind === 'end-session' ? 'Signed out; the session cookie is cleared' : 'Done; no content' };
  } else if (kind === 'export') {
    if (!b.documentItem) throw new Error(`${op.name}: an export binding names its documentItem`);
    const item = comps.schema(b.documentItem, 'output', `${capitalize(op.name)}Item`);
    out[status] = {
      description: 'The export as an attachment',
      headers: { 'Content-Disposition': { description: 'attachment; filename="…"', schema: { type: 'string' } } },
      content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'array', items: item } } },
    };
  } else if (kind === 'items') {
    const items = ((outputOf().properties ?? {}) as Record<string, Json>).items;
    if (!items || items.type !== 'array') throw new Error(`${op.name}: response 'items' needs an output with an items array`);
    out[status] = { description: 'A page of items as a bare array', headers: TOTAL_HEADER, content: { 'application/json': { schema: items } } };
  } else {
    const schema = outputOf();
    if (kind === 'session') {
      const props = { ...((schema.properties ?? {}) as Json) };
      delete props.token;
      out[status] = {
        description: 'Signed in',
        headers: { 'Set-Cookie': { description: 'rackd_session=…; HttpOnly; SameSite=Lax; Path=/ (Secure unless --dev-mode)', schema: { type: 'string' } } },
        content: { 'application/json': { schema: { ...schema, properties: props, required: ((schema.required ?? []) as string[]).filter((k) => k !== 'token') } } },
      };
    } else out[status] = { description: 'Success', content: { 'application/json': { schema } } };
  }
  if (b.unchangedStatus !== undefined) out[String(b.unchangedStatus)] = { description: 'Nothing to do: it was so already' };
  return out;
}

function catalogueOperation(op: Operation, b: HttpBinding, operationId: string, comps: Components): Json {
  const path = oasPath(b.path);
  const input = comps.schema(op.input, 'input', `${capitalize(op.name)}Input`);
  if (input.$ref) throw new Error(`${op.name}: recursive input schemas cannot be spread into parameters`);
  const updateKeys = new Set(bindingsOf(op).filter((x) => x.method === 'POST').flatMap((x) => x.forbid ?? []));
  const { parameters, requestBody } = requestParts(b, input, updateKeys);
  const r = requirementOf(op);
  return {
    operationId,
    summary: b.summary ?? op.title,
    description: op.description + permissionNote(op),
    tags: [tagOf(path)],
    security: r.mode === 'public' ? [] : SECURED,
    ...(parameters.length && { parameters }),
    ...(requestBody && { requestBody }),
    responses: { ...successResponses(op, b, comps), ...errorResponses(r.mode === 'public') },
    ...(r.permissions.length && { 'x-rackd-permissions': [...r.permissions] }),
    ...(isTool(op) && { 'x-mcp-tool': op.name }),
  };
}

/** The domain tag of a path: its first segment after /api (`/api/pools/{id}/allocate` → pools). */
function tagOf(path: string): string {
  const seg = path.replace(/^\/api\//, '').split('/')[0]!;
  return seg.startsWith('{') ? 'other' : seg;
}

export function buildOpenApi(ops: readonly Operation[]): Json {
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
