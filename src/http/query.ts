// The query string of a REST request as the catalogue's binding rules read it.
import type { Context } from 'hono';
import type { AppEnv } from './types.ts';

/**
 * The query string as an object for a strict zod schema: a key given once is a string, a key
 * repeated (or listed in `arrays`) is an array, so unknown or duplicated filters are refused
 * rather than ignored. Every key is an own property, `__proto__` included (an assignment would
 * set the prototype instead and the parameter would vanish before the schema could refuse it).
 */
export function queryObject(c: Context<AppEnv>, arrays: ReadonlySet<string> = new Set()): Record<string, string | string[]> {
  const url = c.req.url;
  const at = url.indexOf('?');
  const out: Record<string, string | string[]> = {};
  if (at < 0) return out;
  const hash = url.indexOf('#', at);
  for (const [k, v] of new URLSearchParams(url.slice(at + 1, hash < 0 ? undefined : hash))) {
    const prev = Object.hasOwn(out, k) ? out[k] : undefined;
    const value = prev === undefined ? (arrays.has(k) ? [v] : v) : Array.isArray(prev) ? [...prev, v] : [prev, v];
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
