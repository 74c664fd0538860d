// Request limits: the 1 MiB body cap, the global request timeout, and closing connections whose
// request body was never read.
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { timeout } from 'hono/timeout';
import { AppError } from '../../platform/errors.ts';
import { errorResponse } from '../errors.ts';
import type { AppEnv } from '../types.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

/** 413 PAYLOAD_TOO_LARGE for bodies over the cap, announced by Content-Length or streamed (chunked). */
export function maxBody(maxSize = MAX_BODY_BYTES): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize,
    onError: (c) => errorResponse(c as Parameters<typeof errorResponse>[0], new AppError('PAYLOAD_TOO_LARGE', 'Request body exceeds 1 MiB')),
  });
}

/** 503 REQUEST_TIMEOUT when the rest of the chain takes longer than `ms`. */
export function requestTimeout(ms: number): MiddlewareHandler<AppEnv> {
  return timeout(ms, () => new AppError('REQUEST_TIMEOUT', 'Request timeout') as never);
}

/**
 * A response sent before the request body arrived in full (413, 401, 429 …) leaves unread bytes on
 * a keep-alive connection; the node adapter drains them only for a short while and then drops the
 * socket, so the client's next request on it fails. Closing such connections deliberately is what
 * the client can recover from.
 */
export function closeUnreadBodies(): MiddlewareHandler<AppEnv> {
  return async function closeUnreadBodiesMiddleware(c, next) {
    await next();
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (incoming && !incoming.complete && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.res.headers.set('Connection', 'close');
    }
  };
}
