// REST routes generated from the operation catalogue: each binding assembles the operation's
// input from path params, the query string (GET/DELETE) and the JSON body, then calls run().
import { Hono, type Context } from 'hono';
import { bindingsOf, type HttpBinding, type Operation } from '../../operations/types.ts';
import { AppError, fromZodIssues } from '../../platform/errors.ts';
import type { ServiceEnv } from '../../services/env.ts';
import { readJson } from '../errors.ts';
import { queryObject } from '../query.ts';
import type { AppEnv } from '../types.ts';

async function inputFor(c: Context<AppEnv>, b: HttpBinding): Promise<Record<string, unknown>> {
  const fromQuery = b.body === undefined && (b.method === 'GET' || b.method === 'DELETE');
  let base = fromQuery ? queryObject(c, new Set(b.arrayQuery ?? [])) : await readJson(c, { optional: b.body !== 'array' });
  if (b.body === 'array') {
    if (!Array.isArray(base)) throw new AppError('INVALID_INPUT', 'The request body must be a JSON array');
    base = { [b.bodyKey ?? 'items']: base };
  }
  if (base === null || typeof base !== 'object' || Array.isArray(base)) {
    throw new AppError('INVALID_INPUT', 'The request body must be a JSON object');
  }
  const input: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [alias, key] of Object.entries(b.rename ?? {})) {
    if (alias in input) {
      if (key in input) throw new AppError('VALIDATION_ERROR', `${alias}: give either ${alias} or ${key}`, { details: [{ field: alias, message: `duplicate of ${key}` }] });
      input[key] = input[alias];
      delete input[alias];
    }
  }
  for (const key of b.forbid ?? []) {
    if (key in input) throw new AppError('VALIDATION_ERROR', `${key}: not accepted on this route`, { details: [{ field: key, message: 'not accepted on this route' }] });
  }
  for (const [k, v] of Object.entries(c.req.param() as Record<string, string>)) {
    if (k in input && input[k] !== v) {
      throw new AppError('VALIDATION_ERROR', `${k}: differs from the path`, { details: [{ field: k, message: 'differs from the path' }] });
    }
    input[k] = v;
  }
  for (const [k, v] of Object.entries(b.fixed ?? {})) {
    // A route's fixed value is not a default: a caller asking for something else is told so.
    if (k in input && input[k] !== v) {
      throw new AppError('VALIDATION_ERROR', `${k}: this route only serves ${k}=${String(v)}`, { details: [{ field: k, message: `must be ${String(v)} here` }] });
    }
    input[k] = v;
  }
  return input;
}

/** An array body's items are named like `devices[3].name`, as in Rackd's bulk errors. */
const bracketed = (path: ReadonlyArray<PropertyKey>): string[] =>
  path.reduce<string[]>((out, seg) => {
    if (typeof seg === 'number' && out.length > 0) out[out.length - 1] += `[${seg}]`;
    else out.push(String(seg));
    return out;
  }, []);

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

export function catalogueRoutes(env: ServiceEnv, ops: readonly Operation[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const routes = ops.flatMap((op) => bindingsOf(op).map((b) => ({ op, b })));
  routes.sort((x, y) => routeOrderKey(x.b.path).localeCompare(routeOrderKey(y.b.path)));
  for (const { op, b } of routes) {
    const path = b.path.replace(/^\/api/, '');
    app.on(b.method, path, async (c) => {
      const parsed = op.input.safeParse(await inputFor(c, b));
      if (!parsed.success) {
        const issues = b.body === 'array' ? parsed.error.issues.map((i) => ({ ...i, path: bracketed(i.path) })) : parsed.error.issues;
        throw fromZodIssues(issues);
      }
      const out = (await op.run(env, c.get('caller'), parsed.data)) as Record<string, unknown>;
      if (b.response === 'empty' || b.status === 204) return c.body(null, 204);
      if (b.response === 'items') {
        c.header('X-Total-Count', String(out.total));
        return c.json(out.items as unknown[], (b.status ?? 200) as 200);
      }
      return c.json(out, (b.status ?? 200) as 200);
    });
  }
  return app;
}
