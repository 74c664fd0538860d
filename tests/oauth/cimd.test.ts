// Client ID Metadata Documents fetched from a real local HTTPS server (self-signed, trusted only
// by these tests) through the real safeFetch, with DNS for cimd.test pinned to 127.0.0.1.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type SafeFetchInit, safeFetch } from '../../src/net/safe-fetch.ts';
import type { TargetPolicy } from '../../src/net/url-guard.ts';
import {
  CIMD_CACHE_MAX_ENTRIES,
  type CimdError,
  cacheLifetimeMs,
  cimdClientIdProblem,
  clearCimdCache,
  isCimdClientId,
  resolveCimdClient,
  validateCimdDocument,
} from '../../src/oauth/cimd.ts';
import { AppError } from '../../src/platform/errors.ts';
import { makeTestCert, startTestServer, type TestServer, tlsSkipReason } from '../net/tls-fixture.ts';

const cert = makeTestCert();
const skip = tlsSkipReason(cert);
const LOOPBACK: TargetPolicy = { allowPrivate: false, allowLoopback: true, httpsOnly: false };
const STRICT: TargetPolicy = { allowPrivate: false, allowLoopback: false, httpsOnly: false };

let server: TestServer;
let clock = 1_000_000;
const now = () => clock;
const testFetch: typeof safeFetch = (url, init: SafeFetchInit) =>
  safeFetch(url, { ...init, ca: cert!.cert, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });

const id = (path: string) => `https://cimd.test:${server.port}${path}`;
const hitsFor = (path: string) => server.hits.filter((h) => h === `GET ${path}`).length;
const resolve = (path: string, policy = LOOPBACK) =>
  resolveCimdClient(id(path), { policy, fetch: testFetch, now, allowedRedirectSchemes: ['cursor'] });

function serve(path: string, body: unknown, headers: Record<string, string> = {}, status = 200) {
  server.route(path, (_req, res: ServerResponse) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
  });
}

const doc = (path: string, extra: Record<string, unknown> = {}) => ({
  client_id: id(path),
  client_name: 'Example MCP Client',
  redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
  ...extra,
});

function failsWith(reason: CimdError['reason'], message: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.name, 'CimdError');
    assert.equal(err.code, 'VALIDATION_ERROR');
    assert.equal((err as CimdError).reason, reason, err.message);
    assert.equal(err.details?.[0]?.field, 'client_id');
    assert.match(err.message, message);
    return true;
  };
}

before(async () => {
  if (cert) server = await startTestServer(cert);
});
after(async () => server?.close());
beforeEach(() => {
  clearCimdCache();
  clock = 1_000_000;
});

describe('client_id URLs (draft §3)', () => {
  const good = [
    'https://claude.ai/oauth/claude-code-client-metadata',
    'https://client.example.com/metadata.json',
    'https://client.example.com:8443/m.json',
    'https://client.example.com/m.json?v=2',
  ];
  for (const v of good) it(`accepts ${v}`, () => assert.equal(isCimdClientId(v), true));
  const bad: Array<[unknown, RegExp]> = [
    ['http://client.example.com/metadata.json', /https URL/],
    ['HTTPS://client.example.com/metadata.json', /https URL/],
    ['https://client.example.com', /must contain a path/],
    ['https://client.example.com/', /must contain a path/],
    ['https://client.example.com/m.json#x', /fragment/],
    ['https://user:pw@client.example.com/m.json', /user name or password/],
    ['https://@client.example.com/m.json', /user name or password/],
    ['https://client.example.com/a/../m.json', /"\." or "\.\." path segments/],
    ['https://client.example.com/./m.json', /path segments/],
    ['https://client.example.com/a/%2E%2e/m.json', /path segments/],
    ['https://Client.Example.com/m.json', /canonical form \(https:\/\/client\.example\.com\/m\.json\)/],
    ['https://client.example.com:443/m.json', /canonical form/],
    ['https://client.example.com/m json', /whitespace/],
    ['https://client.example.com/m.json\n', /whitespace/],
    ['0b7e7c6e-2f4e-4b7e-9d8b-123456789abc', /https URL/],
  ];
  for (const [v, why] of bad) {
    it(`refuses ${JSON.stringify(v)}`, () => {
      assert.equal(isCimdClientId(v), false);
      assert.match(cimdClientIdProblem(v as string) ?? '', why);
    });
  }
  it('non-strings are not client_id URLs', () => assert.equal(isCimdClientId(undefined), false));
  it('resolve refuses a bad client_id without fetching', async () => {
    await assert.rejects(
      resolveCimdClient('http://client.example.com/m.json', { policy: LOOPBACK, fetch: testFetch }),
      failsWith('invalid_client_id', /^client_id: must be an https URL/),
    );
  });
});

describe('resolving documents', { skip }, () => {
  it('a valid document is accepted, with defaults filled in', async () => {
    serve('/ok', doc('/ok', { client_uri: 'https://example.com', logo_uri: 'https://example.com/logo.png', scope: 'rackd:read' }));
    const client = await resolve('/ok');
    assert.deepEqual(client, {
      client_id: id('/ok'),
      client_name: 'Example MCP Client',
      redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
      client_uri: 'https://example.com',
      logo_uri: 'https://example.com/logo.png',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      scope: 'rackd:read',
    });
    const seen = server.headers.at(-1)!;
    assert.equal(seen.accept, 'application/json');
    assert.match(String(seen['user-agent']), /^rackd\//);
  });

  it('explicit grant types, "none" and a +json content type are accepted', async () => {
    serve(
      '/vendor',
      doc('/vendor', {
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        redirect_uris: ['cursor://anysphere.cursor-mcp/oauth/callback'],
      }),
      { 'content-type': 'application/vnd.example.client+json; charset=utf-8' },
    );
    const client = await resolve('/vendor');
    assert.deepEqual(client.grant_types, ['authorization_code', 'refresh_token']);
    assert.deepEqual(client.redirect_uris, ['cursor://anysphere.cursor-mcp/oauth/callback']);
  });

  it('is refused when loopback targets are not allowed (the production default)', async () => {
    serve('/default-policy', doc('/default-policy'));
    await assert.rejects(resolve('/default-policy', STRICT), failsWith('fetch_failed', /cimd\.test resolves to 127\.0\.0\.1, a loopback address/));
    assert.equal(hitsFor('/default-policy'), 0);
  });

  it('client_id must equal the URL exactly', async () => {
    serve('/mismatch', doc('/mismatch', { client_id: `${id('/mismatch')}/` }));
    await assert.rejects(resolve('/mismatch'), failsWith('client_id_mismatch', /does not match the URL it was fetched from/));
    serve('/no-id', { client_name: 'x', redirect_uris: ['https://a.example/cb'] });
    await assert.rejects(resolve('/no-id'), failsWith('client_id_mismatch', /client_id undefined does not match/));
  });

  it('client_name and redirect_uris are required', async () => {
    serve('/no-name', doc('/no-name', { client_name: undefined }));
    await assert.rejects(resolve('/no-name'), failsWith('invalid_document', /client_name is required/));
    serve('/no-uris', doc('/no-uris', { redirect_uris: undefined }));
    await assert.rejects(resolve('/no-uris'), failsWith('invalid_document', /redirect_uris is required/));
    serve('/empty-uris', doc('/empty-uris', { redirect_uris: [] }));
    await assert.rejects(resolve('/empty-uris'), failsWith('invalid_document', /redirect_uris is required/));
  });

  it('every redirect URI follows the registration rules', async () => {
    serve('/bad-uri', doc('/bad-uri', { redirect_uris: ['https://ok.example/cb', 'javascript:alert(1)'] }));
    await assert.rejects(resolve('/bad-uri'), failsWith('invalid_redirect_uri', /redirect_uris\[1\] "javascript:alert\(1\)" must not use the javascript: scheme/));
  });

  it('shared-secret auth methods and secrets are refused', async () => {
    serve('/basic', doc('/basic', { token_endpoint_auth_method: 'client_secret_basic' }));
    await assert.rejects(resolve('/basic'), failsWith('unsupported_auth_method', /"client_secret_basic" is not allowed: documents cannot use a shared secret/));
    serve('/secret', doc('/secret', { client_secret: 'abc' }));
    await assert.rejects(resolve('/secret'), failsWith('invalid_document', /must not contain client_secret/));
  });

  it('non-JSON content type and unparseable JSON are refused', async () => {
    serve('/html', '<html>hi</html>', { 'content-type': 'text/html' });
    await assert.rejects(resolve('/html'), failsWith('not_json', /must be served as application\/json, got "text\/html"/));
    serve('/broken', '{"client_id": ');
    await assert.rejects(resolve('/broken'), failsWith('not_json', /not valid JSON/));
    serve('/array', '[]');
    await assert.rejects(resolve('/array'), failsWith('invalid_document', /must be a JSON object/));
  });

  it('a document over 5 KiB is refused', async () => {
    serve('/large', doc('/large', { padding: 'x'.repeat(6000) }));
    await assert.rejects(resolve('/large'), failsWith('too_large', /larger than 5120 bytes/));
  });

  it('any status but 200 is refused; redirects are not followed', async () => {
    serve('/missing', { error: 'nope' }, {}, 404);
    await assert.rejects(resolve('/missing'), failsWith('bad_status', /HTTP 404; 200 is required/));
    serve('/moved', '', { location: id('/ok-target') }, 302);
    serve('/ok-target', doc('/ok-target'));
    await assert.rejects(resolve('/moved'), failsWith('bad_status', /HTTP 302 \(redirects are not followed\)/));
    assert.equal(hitsFor('/ok-target'), 0);
  });
});

describe('caching', { skip }, () => {
  it('honours max-age: the second resolve does not hit the server until it expires', async () => {
    serve('/cached', doc('/cached'), { 'cache-control': 'public, max-age=600' });
    await resolve('/cached');
    clock += 599_000;
    await resolve('/cached');
    assert.equal(hitsFor('/cached'), 1);
    clock += 2_000;
    await resolve('/cached');
    assert.equal(hitsFor('/cached'), 2);
  });

  it('max-age=0 is clamped up to 60 s', async () => {
    serve('/zero', doc('/zero'), { 'cache-control': 'max-age=0' });
    await resolve('/zero');
    clock += 59_000;
    await resolve('/zero');
    assert.equal(hitsFor('/zero'), 1);
    clock += 2_000;
    await resolve('/zero');
    assert.equal(hitsFor('/zero'), 2);
  });

  it('without Cache-Control a document lives 5 minutes; concurrent resolves share one fetch', async () => {
    serve('/plain', doc('/plain'));
    await Promise.all([resolve('/plain'), resolve('/plain'), resolve('/plain')]);
    assert.equal(hitsFor('/plain'), 1);
    clock += 299_000;
    await resolve('/plain');
    assert.equal(hitsFor('/plain'), 1);
    clock += 2_000;
    await resolve('/plain');
    assert.equal(hitsFor('/plain'), 2);
  });

  it('failures are retried only after 30 s', async () => {
    let status = 500;
    server.route('/flaky', (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(doc('/flaky')));
    });
    await assert.rejects(resolve('/flaky'), failsWith('bad_status', /HTTP 500/));
    status = 200;
    clock += 29_000;
    await assert.rejects(resolve('/flaky'), failsWith('bad_status', /HTTP 500/));
    assert.equal(hitsFor('/flaky'), 1);
    clock += 2_000;
    assert.equal((await resolve('/flaky')).client_name, 'Example MCP Client');
    assert.equal(hitsFor('/flaky'), 2);
  });
});

describe('cache bounds without a network', () => {
  it('lifetimes are clamped to [60 s, 24 h] with 5 min by default', () => {
    assert.equal(cacheLifetimeMs(undefined), 300_000);
    assert.equal(cacheLifetimeMs('public'), 300_000);
    assert.equal(cacheLifetimeMs('max-age=0'), 60_000);
    assert.equal(cacheLifetimeMs('no-store'), 60_000);
    assert.equal(cacheLifetimeMs('no-cache, max-age=3600'), 60_000);
    assert.equal(cacheLifetimeMs('Max-Age=3600'), 3_600_000);
    assert.equal(cacheLifetimeMs('s-maxage=10, max-age=120'), 120_000);
    assert.equal(cacheLifetimeMs('max-age=864000'), 86_400_000);
  });

  it(`keeps at most ${CIMD_CACHE_MAX_ENTRIES} documents, dropping the oldest`, async () => {
    const fetched: string[] = [];
    const fake: typeof safeFetch = async (url) => {
      const u = String(url);
      fetched.push(u);
      const body = Buffer.from(JSON.stringify({ client_id: u, client_name: 'n', redirect_uris: ['https://a.example/cb'] }));
      return { status: 200, headers: { 'content-type': 'application/json' }, body, address: '192.0.2.1' };
    };
    const opts = { policy: STRICT, fetch: fake, now };
    for (let i = 0; i <= CIMD_CACHE_MAX_ENTRIES; i++) await resolveCimdClient(`https://c${i}.example/m.json`, opts);
    assert.equal(fetched.length, CIMD_CACHE_MAX_ENTRIES + 1);
    await resolveCimdClient(`https://c${CIMD_CACHE_MAX_ENTRIES}.example/m.json`, opts);
    await resolveCimdClient('https://c1.example/m.json', opts);
    assert.equal(fetched.length, CIMD_CACHE_MAX_ENTRIES + 1, 'recent entries still cached');
    await resolveCimdClient('https://c0.example/m.json', opts);
    assert.equal(fetched.length, CIMD_CACHE_MAX_ENTRIES + 2, 'the oldest entry was evicted');
  });

  it('fetches with https only, 5 KiB and 5 s whatever policy it is given', async () => {
    let seen: SafeFetchInit | undefined;
    const spy: typeof safeFetch = async (url, init) => {
      seen = init;
      const body = Buffer.from(JSON.stringify({ client_id: String(url), client_name: 'n', redirect_uris: ['https://a.example/cb'] }));
      return { status: 200, headers: { 'content-type': 'application/json' }, body, address: '192.0.2.1' };
    };
    await resolveCimdClient('https://spy.example/m.json', { policy: LOOPBACK, fetch: spy });
    assert.deepEqual(
      { policy: seen?.policy, maxBytes: seen?.maxBytes, timeoutMs: seen?.timeoutMs, accept: seen?.accept },
      { policy: { ...LOOPBACK, httpsOnly: true }, maxBytes: 5120, timeoutMs: 5000, accept: 'application/json' },
    );
  });
});

describe('document rules without a network', () => {
  const url = 'https://client.example.com/m.json';
  const base = { client_id: url, client_name: 'C', redirect_uris: ['https://client.example.com/cb'] };
  const cases: Array<[Record<string, unknown>, CimdError['reason'], RegExp]> = [
    [{ token_endpoint_auth_method: 'client_secret_post' }, 'unsupported_auth_method', /shared secret/],
    [{ token_endpoint_auth_method: 'client_secret_jwt' }, 'unsupported_auth_method', /shared secret/],
    [{ token_endpoint_auth_method: 'private_key_jwt' }, 'unsupported_auth_method', /only public clients/],
    [{ client_secret_expires_at: 0 }, 'invalid_document', /client_secret/],
    [{ jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'secret' }] } }, 'invalid_document', /private key material/],
    [{ grant_types: ['client_credentials'] }, 'invalid_document', /"client_credentials" is not supported/],
    [{ grant_types: ['refresh_token'] }, 'invalid_document', /must include authorization_code/],
    [{ response_types: ['token'] }, 'invalid_document', /response_types must be \["code"\]/],
    [{ client_name: '   ' }, 'invalid_document', /client_name is required/],
    [{ client_name: 'Evil\u202eClient' }, 'invalid_document', /control characters/],
    [{ client_uri: 'javascript:alert(1)' }, 'invalid_document', /client_uri must be an https URL/],
    [{ logo_uri: 'http://example.com/logo.png' }, 'invalid_document', /logo_uri must be an https URL/],
    [{ redirect_uris: ['http://evil.example/cb'] }, 'invalid_redirect_uri', /must use https/],
    [{ redirect_uris: ['https://client.example.com/cb#x'] }, 'invalid_redirect_uri', /fragment/],
    [{ redirect_uris: ['HTTPS://client.example.com/cb'] }, 'invalid_redirect_uri', /lower case/],
    [{ redirect_uris: ['cursor://x/cb'] }, 'invalid_redirect_uri', /cursor: is not one/],
    [{ redirect_uris: 'https://client.example.com/cb' }, 'invalid_document', /non-empty array/],
    [{ redirect_uris: Array(21).fill('https://client.example.com/cb') }, 'invalid_document', /at most 20/],
    [{ scope: 'a\nb' }, 'invalid_document', /scope must be/],
  ];
  for (const [extra, reason, why] of cases) {
    it(`refuses ${JSON.stringify(extra).slice(0, 80)}`, () => {
      assert.throws(() => validateCimdDocument(url, { ...base, ...extra }), failsWith(reason, why));
    });
  }
  it('a public-key JWK set without private members is fine', () => {
    const c = validateCimdDocument(url, { ...base, jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }] } });
    assert.equal(c.token_endpoint_auth_method, 'none');
  });
});
