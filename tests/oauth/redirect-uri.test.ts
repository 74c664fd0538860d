// Redirect URI rules shared by registration and CIMD: what is accepted, and every trick that
// past implementations let through (case, whitespace, control characters, host spellings).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackRedirectHost, redirectUriProblem, validateRedirectUri } from '../../src/services/oauth/redirect-uri.ts';
import { AppError } from '../../src/platform/errors.ts';

const NONE = { allowedSchemes: [] as string[] };
const CURSOR = { allowedSchemes: ['cursor', 'com.example.app'] };

describe('accepted redirect URIs', () => {
  const ok: Array<[string, typeof NONE]> = [
    ['https://app.example.com/callback', NONE],
    ['https://app.example.com:8443/cb?tenant=1', NONE],
    ['http://localhost/callback', NONE],
    ['http://localhost:33418/', NONE],
    ['http://127.0.0.1/callback', NONE],
    ['http://127.0.0.1:33418/', NONE],
    ['http://127.9.8.7:1/cb', NONE],
    ['http://[::1]:8080/cb', NONE],
    ['cursor://anysphere.cursor-mcp/oauth/callback', CURSOR],
    ['com.example.app:/oauth2redirect', CURSOR],
  ];
  for (const [uri, rules] of ok) {
    it(uri, () => {
      assert.equal(redirectUriProblem(uri, rules), undefined);
      assert.equal(validateRedirectUri(uri, rules), uri, 'returned unchanged for exact matching');
    });
  }
});

describe('refused redirect URIs', () => {
  const bad: Array<[unknown, RegExp, typeof NONE?]> = [
    ['javascript:alert(1)', /must not use the javascript: scheme/],
    ['javascript:alert(1)', /must not use the javascript: scheme/, { allowedSchemes: ['javascript'] }],
    ['JavaScript:alert(1)', /scheme in lower case/],
    ['JAVASCRIPT:alert(1)', /scheme in lower case/],
    [' javascript:alert(1)', /whitespace/],
    ['java\tscript:alert(1)', /whitespace/],
    ['java\nscript:alert(1)', /whitespace/],
    ['\u0000javascript:alert(1)', /control/],
    ['data:text/html,<script>alert(1)</script>', /must not use the data: scheme/],
    ['vbscript:msgbox(1)', /must not use the vbscript: scheme/],
    ['file:///etc/passwd', /must not use the file: scheme/],
    ['blob:https://example.com/1234', /must not use the blob: scheme/],
    ['about:blank', /must not use the about: scheme/],
    ['http://example.com/cb', /must use https \(plain http is allowed only for localhost/],
    ['http://localhost.evil.com/cb', /must use https/],
    ['http://127.0.0.1.nip.io/cb', /must use https/],
    ['http://10.0.0.1/cb', /must use https/],
    ['http://0x7f.1/cb', /canonical form \(127\.0\.0\.1\)/],
    ['http://2130706433/cb', /canonical form/],
    ['http://0177.0.0.1/cb', /canonical form/],
    ['http://127.1/cb', /canonical form/],
    ['http://localhost./cb', /must use https/],
    ['http://%6c%6fcalhost/cb', /canonical form/],
    ['http://[::ffff:127.0.0.1]/cb', /canonical form/],
    ['https://example.com/cb#state', /fragment/],
    ['https://example.com/cb#', /fragment/],
    ['https://user:pw@example.com/cb', /user name or password/],
    ['https://@example.com/cb', /user name or password/],
    ['https://evil.com@example.com/cb', /user name or password/],
    ['HTTPS://example.com/cb', /scheme in lower case/],
    // docs/security.md: hosts are written in canonical (lower-case) form; two spellings of one
    // target would be two different exact-match strings.
    ['https://App.Example.com/cb', /canonical form \(app\.example\.com\)/],
    ['https://APP.example/cb', /canonical form \(app\.example\)/],
    ['http://LOCALHOST/cb', /canonical form \(localhost\)/],
    ['Http://localhost/cb', /scheme in lower case/],
    ['https://example.com/c b', /whitespace/],
    ['https://example.com/cb\n', /whitespace/],
    ['https://example.com/cb\r\n', /whitespace/],
    ['https://example.com/cb\u007f', /control/],
    ['https://ex\u0430mple.com/cb', /non-ASCII/],
    ['https://example.com\u200b/cb', /non-ASCII/],
    ['https:///example.com/cb', /must name a host/],
    ['https:example.com/cb', /must name a host/],
    ['https://example.com\\@evil.com/', /backslash/],
    ['cursor://anysphere.cursor-mcp/oauth/callback', /cursor: is not one/],
    ['ws://localhost/cb', /must not use the ws: scheme/, { allowedSchemes: ['ws'] }],
    ['/callback', /not a valid absolute URI/],
    ['', /non-empty string/],
    [42, /non-empty string/],
    [`https://example.com/${'a'.repeat(2048)}`, /at most 2048 characters/],
  ];
  for (const [uri, why, rules] of bad) {
    it(JSON.stringify(uri).slice(0, 70), () => {
      assert.match(redirectUriProblem(uri, rules ?? NONE) ?? '(accepted)', why);
      assert.throws(
        () => validateRedirectUri(uri, rules ?? NONE),
        (err: unknown) => {
          assert.ok(err instanceof AppError);
          assert.equal(err.code, 'VALIDATION_ERROR');
          assert.equal(err.details?.[0]?.field, 'redirect_uri');
          assert.match(err.message, /^redirect_uri: /);
          return true;
        },
      );
    });
  }
});

describe('isLoopbackRedirectHost', () => {
  it('localhost, 127/8 and ::1 only', () => {
    for (const h of ['localhost', 'LOCALHOST', '127.0.0.1', '127.255.0.1', '[::1]', '::1']) assert.equal(isLoopbackRedirectHost(h), true, h);
    for (const h of ['localhost.evil.com', '128.0.0.1', '10.0.0.1', '[::2]', '::ffff:127.0.0.1', '0.0.0.0', 'example.com', '']) {
      assert.equal(isLoopbackRedirectHost(h), false, h);
    }
  });
});
