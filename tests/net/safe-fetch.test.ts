// safeFetch against real local servers: loopback refused by default and allowed only with the
// test-only switch, TLS checked against the original host name, redirects returned not followed,
// time and size limits, and the DNS-rebinding defence (one resolution, connection to the vetted
// address).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { OutboundError, type Resolver, safeFetch, USER_AGENT } from '../../src/net/safe-fetch.ts';
import type { TargetPolicy } from '../../src/net/url-guard.ts';
import { AppError } from '../../src/platform/errors.ts';
import { makeTestCert, startTestServer, type TestServer, tlsSkipReason } from './tls-fixture.ts';

const STRICT: TargetPolicy = { allowPrivate: false, allowLoopback: false, httpsOnly: false };
const LOOPBACK: TargetPolicy = { allowPrivate: false, allowLoopback: true, httpsOnly: false };

const cert = makeTestCert();
const skip = tlsSkipReason(cert);

const fixed =
  (...answers: string[]): Resolver =>
  async () =>
    answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

function isCode(code: string, reason?: string, message?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof AppError, `expected AppError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (reason) {
      assert.ok(err instanceof OutboundError);
      assert.equal(err.reason, reason);
    }
    if (message) assert.match(err.message, message);
    return true;
  };
}

let tls: TestServer;
let plain: TestServer;
let other: TestServer;

before(async () => {
  plain = await startTestServer();
  other = await startTestServer();
  if (cert) tls = await startTestServer(cert);
  for (const s of [plain, ...(cert ? [tls] : [])]) {
    s.route('/ok', (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'x-echo': body }).end('{"ok":true}'));
    });
  }
  plain.route('/redirect', (_req, res) => res.writeHead(302, { location: `${other.origin}/secret` }).end());
  other.route('/secret', (_req, res) => res.writeHead(200).end('secret'));
  plain.route('/hang', () => {});
  plain.route('/stall-body', (_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('partial');
  });
  plain.route('/big', (_req, res) => res.writeHead(200, { 'content-length': String(2 * 1024 * 1024) }).end(Buffer.alloc(2 * 1024 * 1024)));
  plain.route('/chunked', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    for (let i = 0; i < 8; i++) res.write(Buffer.alloc(1024, 'x'));
    res.end();
  });
  plain.route('/exact', (_req, res) => res.writeHead(200).end(Buffer.alloc(4096, 'y')));
});

after(async () => {
  await Promise.all([plain?.close(), other?.close(), tls?.close()]);
});

describe('https to a loopback server', { skip }, () => {
  it('is refused by default, and nothing reaches the server', async () => {
    await assert.rejects(
      safeFetch(`${tls.origin}/ok`, { policy: STRICT, ca: cert!.cert }),
      isCode('VALIDATION_ERROR', undefined, /127\.0\.0\.1 is a loopback address/),
    );
    await assert.rejects(safeFetch(`https://localhost:${tls.port}/ok`, { policy: STRICT, ca: cert!.cert }), isCode('VALIDATION_ERROR', undefined, /localhost is a loopback address/));
    assert.deepEqual(tls.hits, []);
  });

  it('is accepted with allowLoopback while trusting the test CA; rackd headers, no cookies', async () => {
    const res = await safeFetch(`${tls.origin}/ok?x=1`, {
      policy: LOOPBACK,
      ca: cert!.cert,
      method: 'POST',
      body: '{"a":1}',
      accept: 'application/json',
      headers: { Cookie: 'session=stolen', 'X-Custom': 'yes', Host: 'evil.example' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), '{"ok":true}');
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.headers['x-echo'], '{"a":1}');
    assert.equal(res.address, '127.0.0.1');
    const seen = tls.headers.at(-1)!;
    assert.equal(tls.hits.at(-1), 'POST /ok?x=1');
    assert.equal(seen['user-agent'], USER_AGENT);
    assert.equal(seen.host, `127.0.0.1:${tls.port}`);
    assert.equal(seen.accept, 'application/json');
    assert.equal(seen['x-custom'], 'yes');
    assert.equal(seen['content-length'], '7');
    assert.equal(seen.cookie, undefined);
  });

  it('still verifies the certificate: without the test CA it is a BAD_GATEWAY', async () => {
    await assert.rejects(safeFetch(`${tls.origin}/ok`, { policy: LOOPBACK }), isCode('BAD_GATEWAY', 'connect', /could not reach/));
  });

  it('uses the original host name for SNI, the certificate check and Host', async () => {
    const res = await safeFetch(`https://cimd.test:${tls.port}/ok`, { policy: LOOPBACK, ca: cert!.cert, resolve: fixed('127.0.0.1') });
    assert.equal(res.status, 200);
    assert.equal(tls.servernames.at(-1), 'cimd.test');
    assert.equal(tls.headers.at(-1)!.host, `cimd.test:${tls.port}`);
    // Same address, a name the certificate does not cover: the check is against the name, not the IP.
    await assert.rejects(
      safeFetch(`https://not-in-cert.test:${tls.port}/ok`, { policy: LOOPBACK, ca: cert!.cert, resolve: fixed('127.0.0.1') }),
      isCode('BAD_GATEWAY', 'connect', /ERR_TLS_CERT_ALTNAME_INVALID/),
    );
  });

  it('DNS rebinding: resolves once and connects to the address that was checked', async () => {
    let calls = 0;
    // First answer loopback (allowed here), every later answer the metadata service.
    const rebinding: Resolver = async () => (calls++ === 0 ? fixed('127.0.0.1')('') : fixed('169.254.169.254')(''));
    const before = tls.hits.length;
    const res = await safeFetch(`https://rebind.test:${tls.port}/ok`, { policy: LOOPBACK, ca: cert!.cert, resolve: rebinding, timeoutMs: 3000 });
    assert.equal(res.status, 200);
    assert.equal(res.address, '127.0.0.1');
    assert.equal(calls, 1, 'the name must be resolved exactly once');
    assert.equal(tls.hits.length, before + 1);
    assert.equal(tls.servernames.at(-1), 'rebind.test');
  });
});

describe('resolution', () => {
  it('a name that resolves to loopback is refused (and refused with allowPrivate too)', async () => {
    for (const policy of [STRICT, { ...STRICT, allowPrivate: true }]) {
      await assert.rejects(
        safeFetch(`http://rebind.test:${plain.port}/ok`, { policy, resolve: fixed('127.0.0.1') }),
        isCode('VALIDATION_ERROR', undefined, /rebind\.test resolves to 127\.0\.0\.1, a loopback address/),
      );
    }
    assert.equal(plain.hits.filter((h) => h === 'GET /ok').length, 0);
  });

  it('refuses when ANY resolved address is not allowed, whichever comes first', async () => {
    await assert.rejects(
      safeFetch('http://mixed.test/', { policy: STRICT, resolve: fixed('93.184.215.14', '169.254.169.254') }),
      isCode('VALIDATION_ERROR', undefined, /mixed\.test resolves to 169\.254\.169\.254, a link-local address/),
    );
    await assert.rejects(
      safeFetch('http://mixed.test/', { policy: STRICT, resolve: fixed('2606:4700::1', '::ffff:10.0.0.5') }),
      isCode('VALIDATION_ERROR', undefined, /private network address/),
    );
  });

  it('the first answer refused stops the request even if a later lookup would pass', async () => {
    let calls = 0;
    const resolver: Resolver = async () => (calls++ === 0 ? fixed('169.254.169.254')('') : fixed('127.0.0.1')(''));
    const before = plain.hits.length;
    await assert.rejects(safeFetch(`http://rebind.test:${plain.port}/ok`, { policy: LOOPBACK, resolve: resolver }), isCode('VALIDATION_ERROR'));
    assert.equal(calls, 1);
    assert.equal(plain.hits.length, before);
  });

  it('DNS failures and empty answers are BAD_GATEWAY', async () => {
    const nx: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await assert.rejects(safeFetch('https://nx.test/', { policy: STRICT, resolve: nx }), isCode('BAD_GATEWAY', 'dns', /could not resolve nx\.test: ENOTFOUND/));
    await assert.rejects(safeFetch('https://empty.test/', { policy: STRICT, resolve: fixed() }), isCode('BAD_GATEWAY', 'dns', /no addresses/));
  });

  it('a resolver that never answers is cut off by the time limit', async () => {
    const never: Resolver = () => new Promise(() => {});
    await assert.rejects(safeFetch('https://slow-dns.test/', { policy: STRICT, resolve: never, timeoutMs: 200 }), isCode('BAD_GATEWAY', 'timeout'));
  });
});

describe('responses', () => {
  it('redirects are returned as they are and never followed', async () => {
    const res = await safeFetch(`${plain.origin}/redirect`, { policy: LOOPBACK });
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, `${other.origin}/secret`);
    assert.deepEqual(other.hits, [], 'the redirect target must not be contacted');
  });

  it('a server that never answers times out with BAD_GATEWAY', async () => {
    const t0 = Date.now();
    await assert.rejects(safeFetch(`${plain.origin}/hang`, { policy: LOOPBACK, timeoutMs: 300 }), isCode('BAD_GATEWAY', 'timeout', /did not answer within 300 ms/));
    assert.ok(Date.now() - t0 < 2000);
  });

  it('a body that stalls half-way times out too, and no partial body is returned', async () => {
    await assert.rejects(safeFetch(`${plain.origin}/stall-body`, { policy: LOOPBACK, timeoutMs: 300 }), isCode('BAD_GATEWAY', 'timeout'));
  });

  it('a declared Content-Length over the limit is refused (default 1 MiB)', async () => {
    await assert.rejects(safeFetch(`${plain.origin}/big`, { policy: LOOPBACK }), isCode('BAD_GATEWAY', 'too_large', /larger than 1048576 bytes/));
  });

  it('a streamed body over maxBytes is cut off; exactly maxBytes is fine', async () => {
    await assert.rejects(safeFetch(`${plain.origin}/chunked`, { policy: LOOPBACK, maxBytes: 4096 }), isCode('BAD_GATEWAY', 'too_large', /larger than 4096 bytes/));
    const ok = await safeFetch(`${plain.origin}/exact`, { policy: LOOPBACK, maxBytes: 4096 });
    assert.equal(ok.body.length, 4096);
  });

  it('nothing listening is BAD_GATEWAY', async () => {
    const s = await startTestServer();
    const port = s.port;
    await s.close();
    await assert.rejects(safeFetch(`http://127.0.0.1:${port}/`, { policy: LOOPBACK }), isCode('BAD_GATEWAY', 'connect', /ECONNREFUSED/));
  });

  it('an aborted signal stops the request', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(safeFetch(`${plain.origin}/hang`, { policy: LOOPBACK, signal: ac.signal }), isCode('BAD_GATEWAY', 'aborted'));
  });

  it('http is refused when the policy says https only', async () => {
    await assert.rejects(safeFetch(`${plain.origin}/ok`, { policy: { ...LOOPBACK, httpsOnly: true } }), isCode('VALIDATION_ERROR', undefined, /must use https/));
  });

  it('User-Agent carries the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(USER_AGENT, `rackd/${pkg.version}`);
  });
});
