// The one mapping from errors to HTTP responses: AppError → its status and JSON envelope;
// anything unknown → 500 with a generic message and the request id (detail goes to the log only).
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, toAppError } from '../platform/errors.ts';
import type { AppEnv } from './types.ts';
import { nodeBody, requestHeader } from './node-io.ts';

export function errorResponse(c: Context<AppEnv>, err: AppError): Response {
  const body: Record<string, unknown> = { error: err.message, code: err.code };
  if (err.details?.length) body.details = err.details;
  if (err.status >= 500) body.request_id = c.get('requestId');
  const res = c.json(body, err.status as 400);
  for (const [k, v] of Object.entries(err.headers ?? {})) res.headers.set(k, v);
  return res;
}

export function onError(err: unknown, c: Context<AppEnv>): Response {
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 401 ? 'UNAUTHORIZED' : status === 404 ? 'NOT_FOUND' : 'INVALID_INPUT';
    if (status >= 500) return onError(new Error(err.message, { cause: err }), c);
    return errorResponse(c, new AppError(code as 'INVALID_INPUT', err.message || 'Bad request'));
  }
  const app = toAppError(err);
  const log = c.get('log');
  if (app.code === 'INTERNAL_ERROR') {
    log?.error('unhandled error', { err: err instanceof Error ? err : String(err), path: c.req.path });
  } else if (app.status >= 500) {
    log?.warn('request failed', { code: app.code, message: app.message });
  }
  return errorResponse(c, app);
}

// JSON is UTF-8 (RFC 8259 §8.1): bytes that are not are refused rather than turned into U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** A request body as text; bytes that are not UTF-8 are a 400 INVALID_JSON, never silently replaced. */
export async function readUtf8(c: Context<AppEnv>): Promise<string> {
  const bytes = await (nodeBody(c) ?? c.req.arrayBuffer());
  try {
    return utf8.decode(bytes);
  } catch {
    throw new AppError('INVALID_JSON', 'The request body is not valid UTF-8');
  }
}

const parsedBodies = new WeakMap<Context, Promise<unknown>>();

/**
 * The body parsed as JSON once per request, for a route and the middleware in front of it (the
 * OAuth scope gate and /mcp both look at the JSON-RPC message): null when it is not UTF-8 or not
 * JSON. Reading errors (over the body cap) propagate.
 */
export function jsonBodyOnce(c: Context<AppEnv>): Promise<unknown> {
  let body = parsedBodies.get(c);
  if (!body) {
    body = readUtf8(c).then(
      (text) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return null;
        }
      },
      (err: unknown) => {
        if (err instanceof AppError && err.code === 'INVALID_JSON') return null;
        throw err;
      },
    );
    parsedBodies.set(c, body);
  }
  return body;
}

/** Reads a JSON body: wrong content type → 415, not UTF-8 or unparsable → 400 INVALID_JSON. */
export async function readJson(c: Context<AppEnv>, { optional = false } = {}): Promise<unknown> {
  const type = requestHeader(c, 'content-type') ?? '';
  const text = await readUtf8(c);
  if (text.trim() === '') {
    if (optional) return {};
    throw new AppError('INVALID_JSON', 'A JSON request body is required');
  }
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be sent as Content-Type: application/json');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('INVALID_JSON', 'The request body is not valid JSON');
  }
}
