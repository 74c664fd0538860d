// The SSRF guard without any network: address classes, every literal host spelling, URL shape
// rules and the two SSRF_* settings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeFetch } from '../../src/net/safe-fetch.ts';
import {
  type AddressClass,
  checkTargetUrl,
  classifyAddress,
  isAllowed,
  policyFromConfig,
  type TargetPolicy,
} from '../../src/net/url-guard.ts';
import { parseConfig } from '../../src/platform/config.ts';
import { AppError } from '../../src/platform/errors.ts';

const STRICT: TargetPolicy = { allowPrivate: false, allowLoopback: false, httpsOnly: false };

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError, `expected AppError, got ${String(err)}`);
    assert.equal(err.code, 'VALIDATION_ERROR');
    assert.equal(err.status, 400);
    return err;
  }
  assert.fail('expected a refusal');
}

describe('classifyAddress', () => {
  const cases: Array<[string, AddressClass]> = [
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['100.128.0.1', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['192.0.2.10', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2606:4700:4700::1111', 'public'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::808:808', 'public'],
    ['::127.0.0.1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['not-an-ip', 'reserved'],
    ['fe80::1%eth0', 'reserved'],
  ];
  for (const [ip, cls] of cases) it(`${ip} → ${cls}`, () => assert.equal(classifyAddress(ip), cls));
});

describe('isAllowed', () => {
  it('public always, private and loopback only when switched on, the rest never', () => {
    const none = { allowPrivate: false, allowLoopback: false };
    const both = { allowPrivate: true, allowLoopback: true };
    assert.equal(isAllowed('public', none), true);
    assert.equal(isAllowed('private', none), false);
    assert.equal(isAllowed('private', { allowPrivate: true, allowLoopback: false }), true);
    assert.equal(isAllowed('loopback', { allowPrivate: true, allowLoopback: false }), false);
    assert.equal(isAllowed('loopback', { allowPrivate: false, allowLoopback: true }), true);
    for (const cls of ['link-local', 'unspecified', 'multicast', 'reserved'] as const) assert.equal(isAllowed(cls, both), false);
  });
});

describe('literal hosts are refused before DNS, in every spelling', () => {
  const forms: Array<[string, RegExp]> = [
    ['http://127.0.0.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://2130706433/', /127\.0\.0\.1 is a loopback address/],
    ['http://0177.0.0.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://0x7f000001/', /127\.0\.0\.1 is a loopback address/],
    ['http://0x7f.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://127.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://127.0.0.1./', /127\.0\.0\.1 is a loopback address/],
    ['http://%31%32%37.0.0.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://[::1]/', /::1 is a loopback address/],
    ['http://[::ffff:127.0.0.1]/', /::ffff:7f00:1 is a loopback address/],
    ['http://[::ffff:7f00:1]/', /::ffff:7f00:1 is a loopback address/],
    ['http://[64:ff9b::7f00:1]/', /is a loopback address/],
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/],
    ['http://[::ffff:169.254.169.254]/', /link-local/],
    ['http://[fe80::1]/', /fe80::1 is a link-local address/],
    ['http://0.0.0.0/', /0\.0\.0\.0 is the unspecified address/],
    ['http://0/', /0\.0\.0\.0 is the unspecified address/],
    ['http://[::]/', /:: is the unspecified address/],
    ['http://224.0.0.1/', /224\.0\.0\.1 is a multicast address/],
    ['http://[ff02::1]/', /multicast/],
    ['http://255.255.255.255/', /reserved/],
    ['http://10.0.0.1/', /10\.0\.0\.1 is a private network address \(set SSRF_ALLOW_PRIVATE_TARGETS=true/],
    ['http://100.64.0.1/', /private network address/],
    ['http://[fd00::1]/', /private network address/],
    ['http://localhost:8080/', /localhost is a loopback address/],
    ['http://LOCALHOST/', /localhost is a loopback address/],
    ['http://api.localhost/', /api\.localhost is a loopback address/],
  ];
  for (const [url, why] of forms) {
    it(`checkTargetUrl refuses ${url}`, () => {
      const err = refusal(() => checkTargetUrl(url, STRICT));
      assert.match(err.message, why);
      assert.equal(err.details?.[0]?.field, 'url');
    });
    it(`safeFetch refuses ${url} without sending anything`, async () => {
      await assert.rejects(safeFetch(url, { policy: STRICT, timeoutMs: 1000 }), (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, 'VALIDATION_ERROR');
        assert.match(err.message, why);
        return true;
      });
    });
  }

  it('private literals pass with allowPrivate, loopback still refused; loopback passes with allowLoopback', () => {
    const priv = { ...STRICT, allowPrivate: true };
    assert.equal(checkTargetUrl('http://10.0.0.1/hook', priv).address, '10.0.0.1');
    assert.equal(checkTargetUrl('http://[fd00::1]/hook', priv).address, 'fd00::1');
    assert.match(refusal(() => checkTargetUrl('http://0x7f.1/', priv)).message, /loopback/);
    assert.match(refusal(() => checkTargetUrl('http://169.254.169.254/', { ...priv, allowLoopback: true })).message, /link-local/);
    const lo = { ...STRICT, allowLoopback: true };
    assert.equal(checkTargetUrl('http://2130706433:9/', lo).address, '127.0.0.1');
    assert.equal(checkTargetUrl('http://[::1]:9/', lo).hostname, '::1');
    assert.equal(checkTargetUrl('http://localhost/', lo).address, undefined);
  });

  it('public literals and names pass; names carry no address until resolved', () => {
    const t = checkTargetUrl('https://8.8.8.8/x', STRICT);
    assert.equal(t.address, '8.8.8.8');
    const n = checkTargetUrl('https://hooks.example.com/x?y=1', STRICT);
    assert.equal(n.address, undefined);
    assert.equal(n.hostname, 'hooks.example.com');
    assert.equal(n.url.href, 'https://hooks.example.com/x?y=1');
  });
});

describe('URL shape', () => {
  const cases: Array<[string, RegExp, TargetPolicy?]> = [
    ['', /is required/],
    ['not a url', /whitespace/],
    ['/relative/path', /not a valid absolute URL/],
    ['ftp://example.com/file', /must use http or https/],
    ['file:///etc/passwd', /must use http or https/],
    ['javascript:alert(1)', /must use http or https/],
    ['gopher://example.com:70/', /must use http or https/],
    ['http://example.com/', /must use https/, { ...STRICT, httpsOnly: true }],
    ['https://user:pass@example.com/', /user name or password/],
    ['https://user@example.com/', /user name or password/],
    ['https://@example.com/', /user name or password/],
    ['https://example.com@10.0.0.1/', /user name or password/],
    [' https://example.com/', /whitespace/],
    ['https://example.com/\n', /whitespace/],
    ['https://exa\tmple.com/', /whitespace/],
    ['https://example.com/\u0000', /control/],
    ['https://example.com\u200b/', /control/],
    ['https://example.com\\@10.0.0.1/', /backslash/],
    ['http:///example.com/', /must name a host/],
    ['http:example.com/', /must name a host/],
    [`https://example.com/${'a'.repeat(2048)}`, /at most 2048 characters/],
  ];
  for (const [url, why, policy] of cases) {
    it(`refuses ${JSON.stringify(url.slice(0, 60))}`, () => assert.match(refusal(() => checkTargetUrl(url, policy ?? STRICT)).message, why));
  }

  it('judges the scheme after parsing: mixed case is normalized, not bypassed', () => {
    assert.equal(checkTargetUrl('HtTpS://Example.COM/a', STRICT).url.href, 'https://example.com/a');
    assert.match(refusal(() => checkTargetUrl('HTTP://example.com/', { ...STRICT, httpsOnly: true })).message, /must use https/);
    assert.match(refusal(() => checkTargetUrl('FILE:///etc/passwd', STRICT)).message, /must use http or https/);
  });

  it('accepts exactly 2048 characters', () => {
    const base = 'https://example.com/';
    const url = base + 'a'.repeat(2048 - base.length);
    assert.equal(url.length, 2048);
    assert.equal(checkTargetUrl(url, STRICT).url.href, url);
  });
});

describe('configuration', () => {
  it('both SSRF settings default to off and parse as booleans', () => {
    assert.deepEqual(parseConfig({}).ssrf, { allowPrivate: false, allowLoopback: false });
    const c = parseConfig({ SSRF_ALLOW_PRIVATE_TARGETS: 'true', SSRF_ALLOW_LOOPBACK_TARGETS: '1' });
    assert.deepEqual(c.ssrf, { allowPrivate: true, allowLoopback: true });
    assert.deepEqual(policyFromConfig(c, { httpsOnly: true }), { allowPrivate: true, allowLoopback: true, httpsOnly: true });
    assert.throws(() => parseConfig({ SSRF_ALLOW_PRIVATE_TARGETS: 'maybe' }), /SSRF_ALLOW_PRIVATE_TARGETS: expects true or false/);
  });
});
