// Secure defaults and configuration: a bad value stops `rackd server` at once with one line naming
// the variable; ./.env is read and real environment variables win; --dev-mode says so.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/platform/config.ts';
import { tempDir, TEST_ENV } from '../helpers/server.ts';
import { runRackd, startRackd } from './support.ts';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('secure defaults', () => {
  it('ship with Secure cookies, both rate limiters on at 100 and 5 per minute, bcrypt cost 14, 24h sessions', () => {
    const c = parseConfig({});
    assert.equal(c.devMode, false);
    assert.equal(c.cookieSecure, true);
    assert.equal(c.rateLimit.enabled, true);
    assert.equal(c.rateLimit.requests, 100);
    assert.equal(c.rateLimit.windowMs, 60_000);
    assert.equal(c.rateLimit.loginRequests, 5);
    assert.equal(c.rateLimit.loginWindowMs, 60_000);
    assert.equal(c.passwords.cost, 14);
    assert.equal(c.session.ttlMs, 86_400_000);
    assert.equal(c.trustProxy, false);
    assert.equal(c.requestTimeoutMs, 30_000);
  });

  it('--dev-mode turns off exactly COOKIE_SECURE and RATE_LIMIT_ENABLED', () => {
    const base = parseConfig({ LOGIN_RATE_LIMIT_REQUESTS: '7' });
    const dev = parseConfig({ LOGIN_RATE_LIMIT_REQUESTS: '7' }, { devMode: true });
    assert.equal(dev.cookieSecure, false);
    assert.equal(dev.rateLimit.enabled, false);
    assert.deepEqual({ ...dev, devMode: false, cookieSecure: true, rateLimit: { ...dev.rateLimit, enabled: true } }, base);
  });
});

describe('bad configuration stops start-up', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['RATE_LIMIT_REQUESTS', 'abc', /whole number from 1 to/],
    ['SESSION_TTL', 'forever', /duration such as 30s/],
    ['LOG_LEVEL', 'loud', /one of trace, debug, info, warn, error/],
    ['LISTEN_ADDR', 'nonsense', /host:port/],
    ['TRUST_PROXY', 'maybe', /true or false/],
    ['ENCRYPTION_KEY', 'xyz', /64 hexadecimal characters/],
  ];

  it('exits non-zero within seconds, printing one line that names the variable and what it accepts', async () => {
    const dataDir = tempDir();
    try {
      // Three at a time: each child compiles the sources with tsx, and CI machines are small.
      const results: Awaited<ReturnType<typeof runRackd>>[] = [];
      for (let i = 0; i < cases.length; i += 3) {
        const batch = cases.slice(i, i + 3).map(([name, value]) => runRackd(['server'], { ...TEST_ENV, DATA_DIR: join(dataDir, name), [name]: value }));
        results.push(...(await Promise.all(batch)));
      }
      for (const [i, [name, value, accepts]] of cases.entries()) {
        const r = results[i]!;
        assert.equal(r.code, 2, `${name}=${value}: exit code (output: ${r.stdout}${r.stderr})`);
        assert.equal(r.stdout, '', `${name}=${value}: nothing on stdout`);
        const lines = r.stderr.trimEnd().split('\n');
        assert.equal(lines.length, 1, `${name}=${value}: one line, got:\n${r.stderr}`);
        assert.match(lines[0]!, new RegExp(`^rackd: invalid configuration: ${name}: `));
        assert.match(lines[0]!, accepts, `${name}=${value}: says what it accepts`);
        assert.ok(r.ms < 15_000, `${name}: took ${r.ms.toFixed(0)} ms`);
        // It stopped before touching the data directory.
        assert.equal(existsSync(join(dataDir, name, 'rackd.db')), false, `${name}: no database created`);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('names the variable and the accepted values for every kind of setting', () => {
    const more: Array<[string, string, RegExp]> = [
      ...cases,
      ['LOGIN_RATE_LIMIT_REQUESTS', '0', /whole number from 1 to/],
      ['RATE_LIMIT_WINDOW', '0', /positive duration/],
      ['REQUEST_TIMEOUT', '-1s', /duration/],
      ['COOKIE_SECURE', 'sometimes', /true or false/],
      ['RATE_LIMIT_ENABLED', 'nah', /true or false/],
      ['TRUSTED_PROXIES', '10.0.0.0/33', /IP addresses or CIDRs/],
      ['TRUSTED_PROXIES', 'proxy.local', /IP addresses or CIDRs/],
      ['PASSWORD_HASH_COST', '9', /whole number from 10 to 16/],
      ['PASSWORD_HASH_COST', '14.5', /whole number from 10 to 16/],
      ['SESSION_STORE_TYPE', 'memcached', /one of sqlite, valkey/],
      ['LOG_FORMAT', 'xml', /one of text, json/],
      ['LISTEN_ADDR', '127.0.0.1:70000', /host:port/],
    ];
    for (const [name, value, accepts] of more) {
      assert.throws(
        () => parseConfig({ ...TEST_ENV, [name]: value }),
        (err: Error) => err.name === 'ConfigError' && err.message.startsWith(`${name}: `) && accepts.test(err.message) && !err.message.includes('\n'),
        `${name}=${value}`,
      );
    }
  });

  it('demands TRUSTED_PROXIES when TRUST_PROXY=true', async () => {
    const r = await runRackd(['server'], { ...TEST_ENV, DATA_DIR: tempDir(), TRUST_PROXY: 'true' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^rackd: invalid configuration: TRUSTED_PROXIES: .*TRUST_PROXY=true\n$/);
  });
});

describe('.env file', () => {
  it('is read from the working directory, and real environment variables win over it', async () => {
    const cwd = tempDir('rackd-envfile-');
    const [filePort, envPort] = [await freePort(), await freePort()];
    const { LISTEN_ADDR: _l, DATA_DIR: _d, LOG_LEVEL: _v, ...env } = TEST_ENV;
    try {
      writeFileSync(
        join(cwd, '.env'),
        ['# rackd settings', `LISTEN_ADDR=127.0.0.1:${filePort}`, 'DATA_DIR=./data-from-dotenv', 'LOG_LEVEL=info', 'SESSION_TTL="2h"', ''].join('\n'),
      );
      // .env alone decides the address and the data directory (relative to the working directory).
      let s = await startRackd([], env, { cwd });
      try {
        assert.equal(new URL(s.url).port, String(filePort));
        assert.ok(existsSync(join(cwd, 'data-from-dotenv', 'rackd.db')));
        const res = await fetch(`${s.url}/healthz`);
        assert.equal(res.status, 200);
        assert.match(s.output(), /"session_ttl":"2h"/, 'SESSION_TTL (quoted) and LOG_LEVEL=info from .env');
        assert.doesNotMatch(s.output(), /dev mode/i, 'no dev-mode warning without the flag');
      } finally {
        await s.stop();
      }
      // A real environment variable wins over the file; the rest of the file still applies.
      s = await startRackd([], { ...env, LISTEN_ADDR: `127.0.0.1:${envPort}`, SESSION_TTL: '3h' }, { cwd });
      try {
        assert.equal(new URL(s.url).port, String(envPort));
        assert.match(s.output(), /"session_ttl":"3h"/);
        assert.match(s.output(), /"data_dir":"\.\/data-from-dotenv"/);
      } finally {
        await s.stop();
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('is held to the same rules as the environment', async () => {
    const cwd = tempDir('rackd-envfile-');
    try {
      mkdirSync(join(cwd, 'data'));
      writeFileSync(join(cwd, '.env'), 'SESSION_TTL=forever\nDATA_DIR=./data\n');
      const { SESSION_TTL: _s, DATA_DIR: _d, ...env } = TEST_ENV;
      const r = await runRackd(['server'], env, { cwd });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^rackd: invalid configuration: SESSION_TTL: .*"forever"\n$/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('--dev-mode', () => {
  it('logs a warning that it is on', async () => {
    const dataDir = tempDir();
    const s = await startRackd(['--dev-mode'], { ...TEST_ENV, DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    try {
      const line = s
        .output()
        .split('\n')
        .find((l) => /dev mode/i.test(l));
      assert.ok(line, s.output());
      const entry = JSON.parse(line) as { level: string; msg: string };
      assert.equal(entry.level, 'warn');
      assert.match(entry.msg, /COOKIE_SECURE/);
      assert.match(entry.msg, /RATE_LIMIT_ENABLED/);
      const res = await fetch(`${s.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: TEST_ENV.INITIAL_ADMIN_USERNAME, password: TEST_ENV.INITIAL_ADMIN_PASSWORD }),
      });
      assert.equal(res.status, 200);
      assert.doesNotMatch(res.headers.getSetCookie().join('\n'), /Secure/i);
    } finally {
      await s.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
