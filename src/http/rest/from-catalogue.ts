// Every REST route under /api, generated from the operation catalogue: each binding assembles the
// operation's input from the request (operations/binding.ts), runs the operation and answers in
// the binding's response kind. No route is written by hand.
import { Hono, type Context } from 'hono';
import { assembleInput, inputSource, responseKind, routeOrderKey, successStatus } from '../../operations/binding.ts';
import { gateInput, queryDecoder, type QueryDecoder } from '../../operations/input-gate.ts';
import { bindingsOf, type HttpBinding, type Operation } from '../../operations/types.ts';
import type { ServiceEnv } from '../../services/env.ts';
import { readJson } from '../errors.ts';
import { clearSessionCookie, setSessionCookie } from '../middleware/authenticate.ts';
import { queryObject } from '../query.ts';
import type { AppEnv } from '../types.ts';
import { requestHeader } from '../node-io.ts';

/** An array body's items are named like `devices[3].name`, as in Rackd's bulk errors. */
const bracketed = (path: ReadonlyArray<PropertyKey>): string[] =>
  path.reduce<string[]>((out, seg) => {
    if (typeof seg === 'number' && out.length > 0) out[out.length - 1] += `[${seg}]`;
    else out.push(String(seg));
    return out;
  }, []);

/** Streams text chunks as UTF-8, pulling the next one only when the client has taken the last. */
function utf8Stream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await it.return?.();
    },
  });
}

export interface ExportOutput {
  contentType: string;
  filename: string;
  chunks: AsyncIterable<string>;
}

async function readInput(c: Context<AppEnv>, b: HttpBinding, decode: QueryDecoder, arrays: ReadonlySet<string>): Promise<Record<string, unknown>> {
  const source = inputSource(b);
  const params = c.req.param() as Record<string, string>;
  if (source === 'query') {
    const query = queryObject(c, arrays);
    const input = assembleInput(b, { params, query });
    // Only what the query string carried is text to decode (path params and fixed values are not).
    decode(input, Object.keys(query).map((k) => b.rename?.[k] ?? k));
    return input;
  }
  const body = await readJson(c, { optional: source === 'body' && !b.requireBody });
  return assembleInput(b, { params, body });
}

function respond(c: Context<AppEnv>, env: ServiceEnv, b: HttpBinding, out: unknown): Response {
  const status = successStatus(b, out) as 200;
  const o = out as Record<string, unknown>;
  switch (responseKind(b)) {
    case 'empty':
      return c.body(null, status);
    case 'end-session':
      clearSessionCookie(c, env.config.cookieSecure);
      return c.body(null, status);
    case 'items':
      c.header('X-Total-Count', String(o.total));
      return c.json(o.items as unknown[], status);
    case 'export': {
      const e = out as ExportOutput;
      return c.body(utf8Stream(e.chunks), status, { 'Content-Type': e.contentType, 'Content-Disposition': `attachment; filename="${e.filename}"` });
    }
    case 'session': {
      // The session token travels only in the HttpOnly cookie, never in a body.
      const { token, ...body } = o as { token: string; expires_at: string };
      setSessionCookie(c, token, body.expires_at, env.config.cookieSecure);
      return c.json(body, status);
    }
    default:
      return c.json(out, status);
  }
}

/** The paths of the operations anyone may call (sign-in): authentication lets them through. */
export function publicPaths(ops: readonly Operation[]): ReadonlySet<string> {
  return new Set(ops.filter((op) => op.permission === 'public').flatMap((op) => bindingsOf(op).map((b) => b.path)));
}

export function catalogueRoutes(env: ServiceEnv, ops: readonly Operation[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const routes = ops.flatMap((op) => bindingsOf(op).map((b) => ({ op, b })));
  routes.sort((x, y) => routeOrderKey(x.b.path).localeCompare(routeOrderKey(y.b.path)));
  for (const { op, b } of routes) {
    const decode = inputSource(b) === 'query' ? queryDecoder(op.input) : () => {};
    const gate = b.body === 'array' ? { mapPath: bracketed } : {};
    const arrays = new Set(b.arrayQuery ?? []);
    app.on(b.method, b.path.replace(/^\/api/, ''), async (c) => {
      const parsed = gateInput(op, await readInput(c, b, decode, arrays), gate);
      if (!parsed.ok) throw parsed.error;
      const out = await op.run(env, c.get('caller'), parsed.data, { userAgent: requestHeader(c, 'user-agent') ?? '' });
      return respond(c, env, b, out);
    });
  }
  return app;
}
