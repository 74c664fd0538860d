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
  const fromQuery = b.method === 'GET' || b.method === 'DELETE';
  const base = fromQuery ? queryObject(c, new Set(b.arrayQuery ?? [])) : await readJson(c, { optional: true });
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
  return { ...input, ...b.fixed };
}

export function catalogueRoutes(env: ServiceEnv, ops: readonly Operation[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const op of ops) {
    for (const b of bindingsOf(op)) {
      const path = b.path.replace(/^\/api/, '');
      app.on(b.method, path, async (c) => {
        const parsed = op.input.safeParse(await inputFor(c, b));
        if (!parsed.success) throw fromZodIssues(parsed.error.issues);
        const out = (await op.run(env, c.get('caller'), parsed.data)) as Record<string, unknown>;
        if (b.response === 'empty' || b.status === 204) return c.body(null, 204);
        if (b.response === 'items') {
          c.header('X-Total-Count', String(out.total));
          return c.json(out.items as unknown[], (b.status ?? 200) as 200);
        }
        return c.json(out, (b.status ?? 200) as 200);
      });
    }
  }
  return app;
}
