// Query-string helpers shared by REST list routes.
import type { Context } from 'hono';
import type { AppEnv } from './types.ts';

/**
 * The query string as an object for a strict zod schema: a key given once is a string, a key
 * repeated is an array, so unknown or duplicated filters are rejected rather than ignored.
 */
export function queryObject(c: Context<AppEnv>, arrays: ReadonlySet<string> = new Set()): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, values] of Object.entries(c.req.queries())) {
    out[k] = arrays.has(k) || values.length > 1 ? values : values[0]!;
  }
  return out;
}

/** Rackd list shape: a bare JSON array, with the full count in X-Total-Count. */
export function listResponse<T>(c: Context<AppEnv>, page: { items: T[]; total: number }): Response {
  c.header('X-Total-Count', String(page.total));
  return c.json(page.items);
}
