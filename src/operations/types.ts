// The operation catalogue's shape: each externally callable operation is described once and
// drives the MCP tool, the REST route(s), OpenAPI, tools.json and the security matrix test.
import type { z } from 'zod';
import type { CallerContext } from '../auth/context.ts';
import type { Permission } from '../auth/permissions.ts';
import type { ServiceEnv } from '../services/env.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * How a route answers (src/operations/binding.ts applies it):
 * - `body` (default): the output as JSON;
 * - `items`: the output's `items` as a bare array with the total in X-Total-Count (Rackd's list shape);
 * - `empty`: no body (204 unless `status` says otherwise);
 * - `export`: a streamed attachment; the output is `{ contentType, filename, chunks }`;
 * - `session`: the output's `token` becomes the session cookie and is left out of the JSON body;
 * - `end-session`: no body, and the session cookie is cleared.
 */
export type ResponseKind = 'body' | 'items' | 'empty' | 'export' | 'session' | 'end-session';

export interface HttpBinding {
  method: HttpMethod;
  /** Hono-style path, e.g. `/api/devices/:id`. Path params are merged into the input. */
  path: string;
  /** Success status (default 200; 201 for creates, 204 for empty results). */
  status?: 200 | 201 | 202 | 204;
  /** Status when the output says nothing was created (`created: false`), e.g. a role already granted. */
  unchangedStatus?: 200;
  response?: ResponseKind;
  /** Input keys this route refuses (e.g. `id` on the create route of a save operation). */
  forbid?: readonly string[];
  /** Fixed input merged in by this route (e.g. a status value). */
  fixed?: Record<string, unknown>;
  /** Rackd-compatible aliases of input keys on this route, e.g. `{ q: 'query' }`. */
  rename?: Record<string, string>;
  /** Query keys that are arrays even when given once (e.g. repeated `tags`). */
  arrayQuery?: readonly string[];
  /**
   * Where the input comes from. Default: the query string for GET/DELETE, a JSON object body
   * otherwise. `object`: a JSON object body even on DELETE (Rackd's bulk deletes). `array`: the
   * body must be a JSON array, passed to the operation as `input[bodyKey]` (Rackd's bulk creates).
   */
  body?: 'object' | 'array';
  /** The input key that receives an `array` body (default `items`). */
  bodyKey?: string;
  /** An empty body is 400 INVALID_JSON instead of `{}` (the routes that always required one). */
  requireBody?: boolean;
  /** `export` routes: one item of the JSON document (OpenAPI describes the CSV and JSON forms). */
  documentItem?: z.ZodType;
  summary?: string;
}

/**
 * What a surface can offer a long-running operation besides its input: MCP passes progress
 * notifications (when the client sent a progress token) and the request's abort signal.
 */
export interface RunContext {
  /** Reports progress; resolves once the notification is sent. Absent when nobody listens. */
  progress?(done: number, total: number, message?: string): Promise<void>;
  /** Aborted when the client cancels the request or goes away. */
  signal?: AbortSignal;
  /** Milliseconds the surface lets this call run (a JSON response must beat REQUEST_TIMEOUT); absent: no limit. */
  budgetMs?: number;
  /** The client's User-Agent, where the surface has one (recorded with a new session). */
  userAgent?: string;
}

export interface Annotations {
  readOnly: boolean;
  destructive: boolean;
  idempotent: boolean;
  /** Reaches outside rackd (scans hosts, posts to webhook receivers): MCP's openWorldHint. */
  openWorld?: boolean;
}

/**
 * Who may call an operation: one permission or any of several (the verb's branches, e.g. create
 * vs update), all of several (`{ allOf }`), any authenticated caller, or anyone (`public`:
 * sign-in). The verb enforces it; the catalogue says it for tools/list, OpenAPI and the matrix.
 */
export type PermissionRule = Permission | readonly Permission[] | { allOf: readonly Permission[] } | 'authenticated' | 'public';

/** The MCP toolsets a client may choose when connecting (all permitted tools by default). */
export const TOOLSETS = ['inventory', 'ipam', 'discovery', 'webhooks', 'admin'] as const;
export type Toolset = (typeof TOOLSETS)[number];

export interface Operation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** MCP tool name, Rackd style: `device_save`, `pool_get_next_ip`. */
  name: string;
  title: string;
  /** What a model reads to decide when and how to call it. */
  description: string;
  permission: PermissionRule;
  annotations: Annotations;
  input: I;
  output: O;
  /** The service verb: `(env, ctx, input)`; it checks the permission and re-parses the input itself. */
  run(env: ServiceEnv, ctx: CallerContext, input: z.infer<I>, runContext?: RunContext): Promise<z.infer<O>>;
  http?: HttpBinding | readonly HttpBinding[];
  /** Answer input that fails the schema with this instead of VALIDATION_ERROR's field list (Rackd's login: INVALID_INPUT). */
  inputError?: { code: 'INVALID_INPUT'; message: string };
  /** The MCP toolset of the tool; operations without one (REST-only) are not offered as tools. */
  toolset?: Toolset;
}

/** Helper that keeps each descriptor's input and output types linked. */
export const defineOperation = <I extends z.ZodType, O extends z.ZodType>(op: Operation<I, O>): Operation<I, O> => op;

export const bindingsOf = (op: Operation): readonly HttpBinding[] =>
  op.http === undefined ? [] : Array.isArray(op.http) ? (op.http as readonly HttpBinding[]) : [op.http as HttpBinding];

/** REST-only operations (bulk, sign-in, password changes, exports) are no MCP tools. */
export const isTool = (op: Operation): op is Operation & { toolset: Toolset } => op.toolset !== undefined;

export interface Requirement {
  /** `any`: one of `permissions` suffices; `all`: every one is needed; `none`: authentication only; `public`: not even that. */
  mode: 'any' | 'all' | 'none' | 'public';
  permissions: readonly Permission[];
}

export function requirementOf(op: Operation): Requirement {
  const p = op.permission;
  if (p === 'public') return { mode: 'public', permissions: [] };
  if (p === 'authenticated') return { mode: 'none', permissions: [] };
  if (typeof p === 'string') return { mode: 'any', permissions: [p] };
  if ('allOf' in p) return { mode: 'all', permissions: p.allOf };
  return { mode: 'any', permissions: p as readonly Permission[] };
}

/** Every permission an operation's rule names. */
export const permissionsOf = (op: Operation): readonly Permission[] => requirementOf(op).permissions;

/** Whether a set of held permissions satisfies the rule (authentication aside). */
export function satisfies(r: Requirement, holds: (p: Permission) => boolean): boolean {
  if (r.mode === 'none' || r.mode === 'public') return true;
  return r.mode === 'all' ? r.permissions.every(holds) : r.permissions.some(holds);
}
