// The node request and response under a Hono context (@hono/node-server passes them as
// `c.env.incoming` / `c.env.outgoing`). Every request pays for what the middleware touches, and
// the web-standard objects are expensive to make: `c.req.header()` builds an undici `Headers`
// from the raw headers, `c.req.raw.body` (or `.signal`) materialises a whole undici `Request` with
// an `AbortSignal`, and each `c.res.headers.set()` validates into a `Headers` that the adapter
// then copies out again. The node objects already hold all of it, so the hot path reads and
// writes them directly; without them (`app.request()` in tests) the helpers fall back to the
// web-standard objects, with the same results.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { AppError } from '../platform/errors.ts';

interface NodeBindings {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

export const incomingOf = (c: Context): IncomingMessage | undefined => (c.env as NodeBindings | undefined)?.incoming;
export const outgoingOf = (c: Context): ServerResponse | undefined => (c.env as NodeBindings | undefined)?.outgoing;

/**
 * A request header as `Headers.get` would answer it: `name` in lower case, repeated fields joined
 * with ", " (Node's `incoming.headers` keeps only the first of a repeated Authorization or Host,
 * which would let a second credential pass unnoticed), undefined when absent.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = incomingOf(c);
  if (!incoming) return c.req.header(name);
  const raw = incoming.rawHeaders;
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length === name.length && key.toLowerCase() === name) value = value === undefined ? raw[i + 1]! : `${value}, ${raw[i + 1]!}`;
  }
  return value;
}

/**
 * Sets a response header: on node straight onto the ServerResponse while its headers are unsent
 * (no undici Headers built), otherwise onto the finished Response.
 */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = outgoingOf(c);
  if (outgoing && !outgoing.headersSent) outgoing.setHeader(name, value);
  else c.res.headers.set(name, value);
}

const decoder = new TextDecoder(); // UTF-8, a leading BOM dropped, invalid bytes replaced: as Request.text()

/**
 * Makes the request body readable once, straight from the node stream, capped at `maxBytes`:
 * `c.req.text()` / `c.req.json()` / `c.req.arrayBuffer()` read it, and only then (never a body
 * no route asks for). Over the cap the read fails with 413 PAYLOAD_TOO_LARGE, whether the length
 * was announced or the body came chunked. Without the node request this does nothing and the
 * caller keeps its web-standard limit.
 */
export function lazyNodeBody(c: Context, maxBytes: number): void {
  const incoming = incomingOf(c);
  if (!incoming) return;
  let bytes: Promise<Buffer> | undefined;
  const read = () => (bytes ??= readCapped(incoming, maxBytes));
  nodeBodies.set(c, read);
  // Hono reads bodies through `bodyCache` (one entry per kind, any other kind converted from the
  // first one it finds); getters there make every kind come from the one read.
  const cache = c.req.bodyCache as Record<string, unknown>;
  Object.defineProperty(cache, 'arrayBuffer', {
    configurable: true,
    enumerable: true,
    get: () => read().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
  });
  Object.defineProperty(cache, 'text', { configurable: true, enumerable: true, get: () => read().then((b) => decoder.decode(b)) });
}

const nodeBodies = new WeakMap<Context, () => Promise<Buffer>>();

/**
 * The request body's bytes straight from the node stream (the same single read as `c.req.*`),
 * or undefined without the node request: lets a reader decode the Buffer itself instead of going
 * through Hono's body cache and an ArrayBuffer copy.
 */
export const nodeBody = (c: Context): Promise<Buffer> | undefined => nodeBodies.get(c)?.();

/** The 413 of a body over `maxBytes`, however it was found out (announced length or streamed). */
export const payloadTooLargeError = (maxBytes: number): AppError => new AppError('PAYLOAD_TOO_LARGE', `Request body exceeds ${maxBytes === 1024 * 1024 ? '1 MiB' : `${maxBytes} bytes`}`);

function readCapped(incoming: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (incoming.readableEnded) return resolve(Buffer.alloc(0));
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err?: Error) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('aborted', onAborted);
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop buffering; the adapter drains (or drops) the rest after the 413 is sent.
        incoming.pause();
        return done(payloadTooLargeError(maxBytes));
      }
      chunks.push(chunk);
    };
    const onEnd = () => done();
    const onError = (err: Error) => done(err);
    const onAborted = () => done(new Error('request aborted'));
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('aborted', onAborted);
  });
}
