// HTTP hardening: the 1 MiB body cap (announced or streamed), the request timeout, malformed
// input and unknown routes — all answered with JSON errors, never a 500 or a stack trace.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp, MAX_BODY_BYTES } from '../../src/app.ts';
import { createMemoryRateLimitStore } from '../../src/auth/rate-limit-store.ts';
import { parseConfig } from '../../src/platform/config.ts';
import { createTestUser, startTestServer, TEST_ENV, type TestServer } from '../helpers/server.ts';
import { assertClean, guard, sleep } from './support.ts';

async function raw(url: string, init: RequestInit & { duplex?: 'half' }) {
  const res = await fetch(url, init);
  const text = await res.text();
  const out = { status: res.status, headers: res.headers, text, body: text ? (JSON.parse(text) as any) : undefined };
  assertClean(out);
  return out;
}

describe('request limits', () => {
  let s: TestServer;
  let key: string;
  before(async () => {
    s = await startTestServer();
    guard(s.api);
    key = (await createTestUser(s.env, ['admin'])).key;
  });
  after(() => s.stop());

  it('answers a body over 1 MiB announced by Content-Length with 413 PAYLOAD_TOO_LARGE', async () => {
    assert.equal(MAX_BODY_BYTES, 1024 * 1024);
    for (const path of ['/api/keys', '/api/auth/login']) {
      const res = await s.api.request('POST', path, {
        raw: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }),
        token: key,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.status, 413, path);
      assert.deepEqual(res.body, { error: 'Request body exceeds 1 MiB', code: 'PAYLOAD_TOO_LARGE' });
      // The unread body poisons the connection, so the server closes it instead of reusing it.
      assert.equal(res.headers.get('connection'), 'close');
    }
    // …and the client can carry on, on a new connection.
    assert.equal((await s.api.get('/api/auth/me', { token: key })).status, 200);
  });

  it('answers a chunked body that grows past 1 MiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    const growing = () => {
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > 2 * MAX_BODY_BYTES) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
    };
    for (const path of ['/api/keys', '/mcp']) {
      const res = await raw(`${s.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: growing(),
        duplex: 'half',
      });
      assert.equal(res.status, 413, path);
      assert.equal(res.body.code, 'PAYLOAD_TOO_LARGE', path);
    }
    assert.equal((await s.api.get('/api/auth/me', { token: key })).status, 200);
  });

  it('answers unparsable JSON on /mcp with a JSON-RPC parse error, not a 500', async () => {
    const res = await s.api.request('POST', '/mcp', {
      raw: '{"jsonrpc": "2.0", "id": 1, "method": ',
      token: key,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.jsonrpc, '2.0');
    assert.equal(res.body.error.code, -32700);
  });

  it('accepts a chunked body under the cap', async () => {
    const text = JSON.stringify({ name: 'chunked-key' });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text.slice(0, 5)));
        controller.enqueue(new TextEncoder().encode(text.slice(5)));
        controller.close();
      },
    });
    const res = await raw(`${s.url}/api/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.name, 'chunked-key');
  });

  it('lets a body of exactly 1 MiB through to validation', async () => {
    const prefix = '{"name":"';
    const suffix = '"}';
    const text = prefix + 'x'.repeat(MAX_BODY_BYTES - prefix.length - suffix.length) + suffix;
    assert.equal(Buffer.byteLength(text), MAX_BODY_BYTES);
    const res = await s.api.request('POST', '/api/keys', { raw: text, token: key, headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'VALIDATION_ERROR');
    assert.equal(res.body.details[0].field, 'name');
  });

  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    for (const text of ['{', '{"name": }', "{'name': 'x'}", '{"name":"x"} trailing', 'undefined', '\u0000']) {
      for (const path of ['/api/keys', '/api/auth/login']) {
        const res = await s.api.request('POST', path, { raw: text, token: key, headers: { 'content-type': 'application/json' } });
        assert.equal(res.status, 400, `${path} ${JSON.stringify(text)}`);
        assert.equal(res.body.code, 'INVALID_JSON');
        assert.equal(res.body.error, 'The request body is not valid JSON');
      }
    }
    const empty = await s.api.request('POST', '/api/keys', { raw: '', token: key, headers: { 'content-type': 'application/json' } });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.code, 'INVALID_JSON');
  });

  it('answers well-formed JSON of the wrong shape with 400, not 500', async () => {
    const nested = '['.repeat(100_000) + ']'.repeat(100_000);
    // A body that is no JSON object is refused by the route (INVALID_INPUT); an object of the wrong shape by the schema.
    for (const [text, code] of [['null', 'INVALID_INPUT'], ['[]', 'INVALID_INPUT'], ['"x"', 'INVALID_INPUT'], ['42', 'INVALID_INPUT'], ['true', 'INVALID_INPUT'], ['{"name": {"$gt": ""}}', 'VALIDATION_ERROR'], [nested, 'INVALID_INPUT'], ['{"__proto__": {"admin": true}, "name": "p"}', 'VALIDATION_ERROR']]) {
      const res = await s.api.request('POST', '/api/keys', { raw: text, token: key, headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 400, `${text!.slice(0, 40)}: ${res.text.slice(0, 200)}`);
      assert.equal(res.body.code, code, text!.slice(0, 40));
    }
    for (const text of ['null', '[]', '{"username": ["admin"], "password": {"x": 1}}', nested]) {
      const res = await s.api.request('POST', '/api/auth/login', { raw: text, headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 400, text.slice(0, 40));
      assert.equal(res.body.code, 'INVALID_INPUT');
    }
  });

  it('answers unknown routes with 404 JSON', async () => {
    for (const [method, path] of [['GET', '/nope'], ['POST', '/nope'], ['GET', '/api/nope'], ['DELETE', '/api/auth'], ['GET', '/api/keys/a/b']] as const) {
      const res = await s.api.request(method, path, { token: key, body: method === 'POST' ? {} : undefined });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.deepEqual(res.body, { error: 'Not found', code: 'NOT_FOUND' });
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    }
  });

  it('answers odd paths and query strings with 4xx', async () => {
    const paths = ['/api/keys/%', '/api/keys/%E0%A4%A', '/api/keys/..%2F..%2Fetc%2Fpasswd', `/api/keys/${'a'.repeat(5000)}`, '/api/keys?limit=abc', '/api/keys?limit=-1', '/api/keys?limit=1000000', '/api/keys?offset=x', '/api/keys?bogus=1', '/api/keys?name=%00'];
    for (const path of paths) {
      const res = await s.api.get(path, { token: key });
      assert.ok(res.status >= 200 && res.status < 500, `${path}: ${res.status} ${res.text.slice(0, 200)}`);
      if (res.status >= 400) assert.equal(typeof res.body.code, 'string', path);
    }
    assert.equal((await s.api.get('/api/keys?limit=abc', { token: key })).body.code, 'VALIDATION_ERROR');
    assert.equal((await s.api.get('/api/keys?bogus=1', { token: key })).body.code, 'VALIDATION_ERROR');
  });
});

describe('request timeout', () => {
  it('reads REQUEST_TIMEOUT, 30s by default, 0 to disable', () => {
    assert.equal(parseConfig(TEST_ENV).requestTimeoutMs, 30_000);
    assert.equal(parseConfig({ ...TEST_ENV, REQUEST_TIMEOUT: '1s' }).requestTimeoutMs, 1000);
    assert.equal(parseConfig({ ...TEST_ENV, REQUEST_TIMEOUT: '0' }).requestTimeoutMs, 0);
  });

  it('answers a body over the cap with 413 also without the node request (app.request)', async () => {
    const s = await startTestServer();
    try {
      const app = createApp({ env: s.env, rateLimitStore: createMemoryRateLimitStore(), readiness: {}, listening: { port: 0 } });
      const body = JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) });
      const res = await app.request('/api/keys', { method: 'POST', body, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } });
      const headers = new Headers(res.headers);
      assert.equal(res.status, 413);
      assert.deepEqual(await res.json(), { error: 'Request body exceeds 1 MiB', code: 'PAYLOAD_TOO_LARGE' });
      assert.equal(headers.get('x-frame-options'), 'DENY');
    } finally {
      await s.stop();
    }
  });

  it('answers a request that outlives REQUEST_TIMEOUT with 503 REQUEST_TIMEOUT JSON', async () => {
    const s = await startTestServer();
    try {
      const env = { ...s.env, config: { ...s.env.config, requestTimeoutMs: 300 } };
      const app = createApp({ env, rateLimitStore: createMemoryRateLimitStore(), readiness: {}, listening: { port: 0 } });
      // Routes added after createApp still run behind every app-wide middleware: Hono composes
      // middleware and handlers in registration order per matched path.
      app.get('/slow', async (c) => {
        await sleep(800);
        return c.text('too late');
      });
      app.get('/quick', (c) => c.text('quick'));
      const t = performance.now();
      const res = await app.request('/slow', { headers: { 'x-request-id': 'slow-1' } });
      const elapsed = performance.now() - t;
      // Headers first: once a server has started in this process, @hono/node-server's lightweight
      // Response rebuilds itself from its constructor arguments when the body is read.
      const headers = new Headers(res.headers);
      const text = await res.text();
      assertClean({ status: res.status, text });
      assert.equal(res.status, 503);
      assert.deepEqual(JSON.parse(text), { error: 'Request timeout', code: 'REQUEST_TIMEOUT', request_id: 'slow-1' });
      assert.ok(elapsed >= 280 && elapsed < 750, `answered after ${elapsed.toFixed(0)} ms`);
      assert.equal(headers.get('x-request-id'), 'slow-1');
      assert.equal(headers.get('x-frame-options'), 'DENY');
      assert.match(headers.get('content-security-policy') ?? '', /default-src 'self'/);
      const quick = await app.request('/quick');
      assert.equal(quick.status, 200);
      assert.equal(quick.headers.get('x-frame-options'), 'DENY');
      assert.equal(await quick.text(), 'quick');
      await sleep(600); // let the abandoned handler finish before the runtime closes
    } finally {
      await s.stop();
    }
  });
});
