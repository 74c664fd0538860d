// The REST binding rules, encoded once: where a route's input comes from (path, query, JSON
// body, array body), which keys it refuses, fixes or renames, and what it answers. The routes
// (http/rest/from-catalogue.ts) apply them to requests, OpenAPI (http/openapi.ts) describes them,
// and the security matrix builds its requests with `requestFor`, the inverse of `assembleInput`.
import { AppError } from '../platform/errors.ts';
import type { HttpBinding, ResponseKind } from './types.ts';

export type InputSource = 'query' | 'body' | 'array';

/** Query string for GET/DELETE, a JSON object otherwise, unless the binding says `object` or `array`. */
export function inputSource(b: HttpBinding): InputSource {
  if (b.body === 'array') return 'array';
  if (b.body === 'object') return 'body';
  return b.method === 'GET' || b.method === 'DELETE' ? 'query' : 'body';
}

export const pathParams = (path: string): string[] => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);

/** The key an `array` body is passed as. */
export const arrayKey = (b: HttpBinding): string => b.bodyKey ?? 'items';

/** Input keys a caller does not send in the query or body of this route: path params, fixed values, refused keys. */
export const routeOnlyKeys = (b: HttpBinding): ReadonlySet<string> => new Set([...pathParams(b.path), ...Object.keys(b.fixed ?? {}), ...(b.forbid ?? [])]);

export function responseKind(b: HttpBinding): ResponseKind {
  return b.response ?? (b.status === 204 ? 'empty' : 'body');
}

/** The success status of a route; `out` decides between `status` and `unchangedStatus`. */
export function successStatus(b: HttpBinding, out?: unknown): number {
  const kind = responseKind(b);
  if (b.unchangedStatus !== undefined && (out as { created?: unknown } | undefined)?.created === false) return b.unchangedStatus;
  if (kind === 'end-session') return 204;
  return b.status ?? (kind === 'empty' ? 204 : 200);
}

/** Whether a route has no response body. */
export const bodiless = (b: HttpBinding): boolean => ['empty', 'end-session'].includes(responseKind(b));

export interface RouteRequest {
  /** Path parameters by name. */
  params: Record<string, string>;
  /** The query string, one value or several per key (`query` routes). */
  query?: Record<string, string | string[]>;
  /** The parsed JSON body, `undefined` when there was none (`body` and `array` routes). */
  body?: unknown;
}

const fieldError = (field: string, message: string, text = `${field}: ${message}`) => new AppError('VALIDATION_ERROR', text, { details: [{ field, message }] });

/** The operation's input for one request. Throws AppError (400) when the request breaks the binding. */
export function assembleInput(b: HttpBinding, req: RouteRequest): Record<string, unknown> {
  const source = inputSource(b);
  let base: unknown;
  if (source === 'query') base = req.query ?? {};
  else if (source === 'array') {
    if (!Array.isArray(req.body)) throw new AppError('INVALID_INPUT', 'The request body must be a JSON array');
    base = { [arrayKey(b)]: req.body };
  } else base = req.body === undefined ? {} : req.body;
  if (base === null || typeof base !== 'object' || Array.isArray(base)) throw new AppError('INVALID_INPUT', 'The request body must be a JSON object');
  const input: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [alias, key] of Object.entries(b.rename ?? {})) {
    if (alias in input) {
      if (key in input) throw fieldError(alias, `duplicate of ${key}`, `${alias}: give either ${alias} or ${key}`);
      input[key] = input[alias];
      delete input[alias];
    }
  }
  for (const key of b.forbid ?? []) if (key in input) throw fieldError(key, 'not accepted on this route');
  for (const [k, v] of Object.entries(req.params)) {
    if (k in input && input[k] !== v) throw fieldError(k, 'differs from the path');
    input[k] = v;
  }
  // A route's fixed value is not a default: a caller asking for something else is told so.
  for (const [k, v] of Object.entries(b.fixed ?? {})) {
    if (k in input && input[k] !== v) throw fieldError(k, `must be ${String(v)} here`, `${k}: this route only serves ${k}=${String(v)}`);
    input[k] = v;
  }
  return input;
}

/** True when `input` can be sent to this route: nothing it refuses, every path param present, fixed values matching. */
export function fits(b: HttpBinding, input: Record<string, unknown>): boolean {
  if ((b.forbid ?? []).some((k) => k in input)) return false;
  if (!pathParams(b.path).every((p) => typeof input[p] === 'string')) return false;
  return Object.entries(b.fixed ?? {}).every(([k, v]) => !(k in input) || input[k] === v);
}

export interface BuiltRequest {
  method: HttpBinding['method'];
  /** Path with the params filled in and the query string appended. */
  url: string;
  /** The JSON body to send, if the route takes one. */
  body?: unknown;
}

/** The request that makes this route assemble `input` (what `assembleInput` undoes). */
export function requestFor(b: HttpBinding, input: Record<string, unknown>): BuiltRequest {
  const skip = routeOnlyKeys(b);
  const path = b.path.replace(/:([A-Za-z0-9_]+)/g, (_m, p: string) => encodeURIComponent(String(input[p])));
  const rest = Object.fromEntries(Object.entries(input).filter(([k]) => !skip.has(k)));
  const source = inputSource(b);
  if (source === 'array') return { method: b.method, url: path, body: input[arrayKey(b)] };
  if (source === 'body') return { method: b.method, url: path, body: rest };
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(rest)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, typeof x === 'object' ? JSON.stringify(x) : String(x));
  return { method: b.method, url: q.size ? `${path}?${q}` : path };
}

/**
 * Hono runs the first registered route that matches, so `/devices/bulk` must be registered
 * before `/devices/:id`: at the first segment where two paths differ, a literal sorts before a
 * parameter. The sort is stable, so the catalogue order is kept otherwise.
 */
export const routeOrderKey = (path: string): string =>
  path
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '1' : '0'))
    .join('');
