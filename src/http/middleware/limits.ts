// Request limits: the 1 MiB body cap, the global request timeout, and closing connections whose
// request body was never read.
import type { Context, Next } from 'hono';
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
 * Request with an AbortSignal for every request, bodiless or not. Without the node request
 * (`app.request()`) hono's bodyLimit runs instead. Shaped like a middleware: a 413 Response, or what
 * the rest of the chain resolves to.
 */
export function bodyLimiter(maxSize = MAX_BODY_BYTES): (c: Context<AppEnv>, next: Next) => Response | Promise<Response | void> {
  const fallback = bodyLimit({ maxSize, onError: (c) => payloadTooLarge(c as Parameters<typeof errorResponse>[0], maxSize) });
  return (c, next) => {
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
 * 503 REQUEST_TIMEOUT when `work` takes longer than `ms`: one timer per request (hono's timeout
 * races two extra promises), cleared as soon as the work settles.
 */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new AppError('REQUEST_TIMEOUT', 'Request timeout')), ms);
    work.then(
      (out) => {
        clearTimeout(timer);
        resolve(out);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/**
 * A response sent before the request body arrived in full (413, 401, 429 …) leaves unread bytes on
 * a keep-alive connection; the node adapter drains them only for a short while and then drops the
 * socket, so the client's next request on it fails. Closing such connections deliberately is what
 * the client can recover from. Called once the response is decided.
 */
export function closeIfBodyUnread(c: Context<AppEnv>): void {
  const method = c.req.method;
  if (method === 'GET' || method === 'HEAD') return;
  const incoming = incomingOf(c);
  if (incoming && !incoming.complete) setResponseHeader(c, 'Connection', 'close');
}
