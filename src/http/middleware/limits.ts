// Request limits: the 1 MiB body cap, the global request timeout, and closing connections whose
// request body was never read.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../platform/errors.ts';
import { errorResponse } from '../errors.ts';
import { incomingOf, lazyNodeBody, payloadTooLargeError, requestHeader, setResponseHeader } from '../node-io.ts';
import type { AppEnv } from '../types.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

const payloadTooLarge = (c: Parameters<typeof errorResponse>[0], maxSize: number) => errorResponse(c, payloadTooLargeError(maxSize));

/**
 * 413 PAYLOAD_TOO_LARGE for bodies over the cap, announced by Content-Length (refused before any
 * of it is read) or streamed (chunked: refused when the route reads past the cap). On node the
 * body is read from the IncomingMessage once, when a route asks for it (node-io.ts), and a GET or
 * HEAD costs nothing here: hono's bodyLimit asked `c.req.raw.body`, which builds an undici
 * Request with an AbortSignal for every request, bodiless or not.
 */
export function maxBody(maxSize = MAX_BODY_BYTES): MiddlewareHandler<AppEnv> {
  const fallback = bodyLimit({ maxSize, onError: (c) => payloadTooLarge(c as Parameters<typeof errorResponse>[0], maxSize) });
  return async function maxBodyMiddleware(c, next) {
    const incoming = incomingOf(c);
    if (!incoming) return fallback(c, next);
    const method = c.req.method;
    // The adapter gives a GET or HEAD request no body, whatever the client sent.
    if (method === 'GET' || method === 'HEAD') return next();
    const length = requestHeader(c, 'content-length');
    if (length !== undefined && requestHeader(c, 'transfer-encoding') === undefined && Number.parseInt(length, 10) > maxSize) return payloadTooLarge(c, maxSize);
    lazyNodeBody(c, maxSize);
    return next();
  };
}

/**
 * 503 REQUEST_TIMEOUT when the rest of the chain takes longer than `ms`: one timer and one promise
 * per request (hono's timeout races two extra promises), cleared as soon as the chain settles.
 */
export function requestTimeout(ms: number): MiddlewareHandler<AppEnv> {
  return function requestTimeoutMiddleware(_c, next) {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new AppError('REQUEST_TIMEOUT', 'Request timeout')), ms);
      next().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  };
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
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return;
    const incoming = incomingOf(c);
    if (incoming && !incoming.complete) setResponseHeader(c, 'Connection', 'close');
  };
}
