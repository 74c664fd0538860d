// The query string of a REST request as the catalogue's binding rules read it.
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
