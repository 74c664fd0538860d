// The operation catalogue's shape: each externally callable operation is described once and
// drives the MCP tool, the REST route(s), OpenAPI, tools.json and the security matrix test.
import type { z } from 'zod';
import type { CallerContext } from '../auth/context.ts';
import type { Permission } from '../auth/permissions.ts';
import type { ServiceEnv } from '../services/env.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpBinding {
  method: HttpMethod;
  /** Hono-style path, e.g. `/api/devices/:id`. Path params are merged into the input. */
  path: string;
  /** Success status (default 200; 201 for creates, 204 for empty results). */
  status?: 200 | 201 | 202 | 204;
  /** `items`: answer with the output's `items` as a bare array and X-Total-Count (Rackd's list shape). */
  response?: 'body' | 'items' | 'empty';
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
}

export interface Annotations {
  readOnly: boolean;
  destructive: boolean;
  idempotent: boolean;
}

export interface Operation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** MCP tool name, Rackd style: `device_save`, `pool_get_next_ip`. */
  name: string;
  title: string;
  /** What a model reads to decide when and how to call it. */
  description: string;
  /** The permission the verb requires first (the verb itself enforces it; this is for lists and tests). */
  permission: Permission | readonly Permission[];
  annotations: Annotations;
  input: I;
  output: O;
  run(env: ServiceEnv, ctx: CallerContext, input: z.infer<I>, runContext?: RunContext): Promise<z.infer<O>>;
  http?: HttpBinding | readonly HttpBinding[];
  /** Operations only reachable over REST (e.g. bulk), not offered as MCP tools. */
  restOnly?: boolean;
}

/** Helper that keeps each descriptor's input and output types linked. */
export const defineOperation = <I extends z.ZodType, O extends z.ZodType>(op: Operation<I, O>): Operation<I, O> => op;

export const bindingsOf = (op: Operation): readonly HttpBinding[] =>
  op.http === undefined ? [] : Array.isArray(op.http) ? (op.http as readonly HttpBinding[]) : [op.http as HttpBinding];

export const permissionsOf = (op: Operation): readonly Permission[] =>
  typeof op.permission === 'string' ? [op.permission] : op.permission;
