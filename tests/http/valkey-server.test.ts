// The real server with SESSION_STORE_TYPE=valkey and RATE_LIMIT_STORE_TYPE=valkey: sessions
// live in Valkey (not SQLite), rate-limit budgets are shared between processes, start-up fails
// fast on an unreachable VALKEY_URL, and /readyz follows Valkey going away and coming back.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sessions } from '../../src/db/schema/index.ts';
import { sha256Hex } from '../../src/platform/ids.ts';
import { ADMIN, ROOT, startTestServer, tempDir, TEST_ENV, type TestServer } from '../helpers/server.ts';
import {
  freePort,
  leaseValkeyDb,
  requireRedisServerBinary,
  requireValkey,
  startPrivateRedis,
  valkeyAvailable,
  type PrivateRedis,
  type ValkeyDb,
} from '../helpers/valkey.ts';

const VALKEY_STORES = { SESSION_STORE_TYPE: 'valkey', RATE_LIMIT_STORE_TYPE: 'valkey', SESSION_TTL: '10m' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tokenOf = (cookie: string) => cookie.slice('rackd_session='.length);

/**
 * Runs `rackd server` expecting it to fail at start-up: resolves with its exit code and output,
 * or with code null after `limitMs` — killing it, so a regression fails the test, not hangs it.
 */
function runServerToExit(env: Record<string, string>, limitMs = 20_000): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'server'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...TEST_ENV, LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

describe('server with Valkey session and rate-limit stores', () => {
  let vdb: ValkeyDb;
  let s: TestServer;
  before(async () => {
    if (!(await valkeyAvailable())) return;
    vdb = await leaseValkeyDb();
    s = await startTestServer({ ...VALKEY_STORES, VALKEY_URL: vdb.url });
  });
  after(async () => {
    await s?.stop();
    await vdb?.release();
  });

  it('keeps the login session in Valkey, not in the SQLite sessions table, and logout removes it', async (t) => {
    if (!(await requireValkey(t))) return;
    assert.equal(s.env.sessions.kind, 'valkey');
    const cookie = await s.api.login(ADMIN.username, ADMIN.password);
    const key = `rackd:session:${sha256Hex(tokenOf(cookie))}`;
    const stored = JSON.parse((await vdb.client.get(key))!);
    assert.equal(stored.userId, (await s.api.get('/api/auth/me', { cookie })).body.id);
    const pttl = await vdb.client.pttl(key);
    assert.ok(pttl > 9 * 60_000 && pttl <= 10 * 60_000, `session PTTL ${pttl}`);
    assert.deepEqual(await vdb.client.smembers(`rackd:user_sessions:${stored.userId}`), [sha256Hex(tokenOf(cookie))]);
    assert.equal(s.env.db.select().from(sessions).all().length, 0);

    const me = await s.api.get('/api/auth/me', { cookie });
    assert.equal(me.status, 200);
    assert.equal(me.body.username, ADMIN.username);

    const out = await s.api.post('/api/auth/logout', undefined, { cookie });
    assert.equal(out.status, 204);
    assert.equal(await vdb.client.exists(key), 0);
    assert.deepEqual(await vdb.client.smembers(`rackd:user_sessions:${stored.userId}`), []);
    const again = await s.api.get('/api/auth/me', { cookie });
    assert.equal(again.status, 401);
    assert.equal(again.body.code, 'UNAUTHORIZED');
  });

  it('rejects a session that Valkey no longer holds (revoked behind the server\'s back)', async (t) => {
    if (!(await requireValkey(t))) return;
    const cookie = await s.api.login(ADMIN.username, ADMIN.password);
    assert.equal((await s.api.get('/api/auth/me', { cookie })).status, 200);
    assert.equal(await vdb.client.del(`rackd:session:${sha256Hex(tokenOf(cookie))}`), 1);
    assert.equal((await s.api.get('/api/auth/me', { cookie })).status, 401);
  });

  it('counts requests in Valkey', async (t) => {
    if (!(await requireValkey(t))) return;
    const before = Number((await vdb.client.get('rackd:ratelimit:g:127.0.0.1')) ?? 0);
    await s.api.get('/api/auth/me');
    assert.equal(Number(await vdb.client.get('rackd:ratelimit:g:127.0.0.1')), before + 1);
  });

  it('/readyz reports database and valkey ok', async (t) => {
    if (!(await requireValkey(t))) return;
    const res = await s.api.get('/readyz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ready', checks: { database: 'ok', valkey: 'ok' } });
  });
});

describe('two servers on one Valkey', () => {
  let vdb: ValkeyDb;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    if (!(await valkeyAvailable())) return;
    vdb = await leaseValkeyDb();
    const env = { RATE_LIMIT_STORE_TYPE: 'valkey', VALKEY_URL: vdb.url, RATE_LIMIT_REQUESTS: '5', RATE_LIMIT_WINDOW: '1m' };
    a = await startTestServer(env);
    b = await startTestServer(env);
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await vdb?.release();
  });

  it('share one rate-limit budget per client', async (t) => {
    if (!(await requireValkey(t))) return;
    assert.notEqual(a.dataDir, b.dataDir);
    const seen: [number, string | null][] = [];
    for (let i = 0; i < 5; i++) {
      const res = await (i % 2 ? b : a).api.get('/api/auth/me');
      seen.push([res.status, res.headers.get('x-ratelimit-remaining')]);
    }
    assert.deepEqual(seen, [
      [401, '4'],
      [401, '3'],
      [401, '2'],
      [401, '1'],
      [401, '0'],
    ]);
    for (const srv of [a, b]) {
      const res = await srv.api.get('/api/auth/me');
      assert.equal(res.status, 429);
      assert.equal(res.body.code, 'RATE_LIMIT_EXCEEDED');
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
    }
  });
});

describe('Valkey unreachable at start-up', () => {
  it('`rackd server` exits with an error naming VALKEY_URL instead of hanging', { timeout: 40_000 }, async () => {
    const dataDir = tempDir();
    try {
      const run = await runServerToExit({ DATA_DIR: dataDir, SESSION_STORE_TYPE: 'valkey', VALKEY_URL: 'redis://127.0.0.1:1/0' });
      assert.equal(run.code, 1, `exit ${run.code} after ${run.ms}ms:\n${run.output}`);
      assert.match(run.output, /rackd: cannot connect to Valkey at VALKEY_URL=redis:\/\/127\.0\.0\.1:1\/0: .*ECONNREFUSED/);
      assert.ok(run.ms < 15_000, `took ${run.ms}ms`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('fails in process too, without echoing a password from VALKEY_URL', { timeout: 20_000 }, async () => {
    await assert.rejects(
      startTestServer({ RATE_LIMIT_STORE_TYPE: 'valkey', VALKEY_URL: 'redis://:hunter2-secret@127.0.0.1:1/0' }),
      (err: Error) => {
        assert.match(err.message, /^cannot connect to Valkey at VALKEY_URL=redis:\/\/:\*\*\*@127\.0\.0\.1:1\/0: /);
        assert.doesNotMatch(err.message, /hunter2/);
        return true;
      },
    );
  });

  it('gives up within the connect timeout on a peer that accepts but never answers', { timeout: 20_000 }, async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((sock) => void sockets.push(sock));
    const port = await freePort();
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    try {
      const started = Date.now();
      await assert.rejects(startTestServer({ SESSION_STORE_TYPE: 'valkey', VALKEY_URL: `redis://127.0.0.1:${port}/0` }), /VALKEY_URL=.*no answer within 5s/);
      const took = Date.now() - started;
      assert.ok(took >= 4_500 && took < 8_000, `took ${took}ms`);
    } finally {
      for (const sock of sockets) sock.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});

describe('start-up failing after Valkey connected', () => {
  it('a taken LISTEN_ADDR ends the process (the Valkey socket and jobs are released)', { timeout: 40_000 }, async (t) => {
    if (!(await requireValkey(t))) return;
    const taken: Server = createServer();
    const port = await freePort();
    await new Promise<void>((r) => taken.listen(port, '127.0.0.1', r));
    const dataDir = tempDir();
    try {
      // Only connects (no key is written), so database 0 is safe to name here.
      const run = await runServerToExit({ DATA_DIR: dataDir, LISTEN_ADDR: `127.0.0.1:${port}`, ...VALKEY_STORES, VALKEY_URL: 'redis://127.0.0.1:6379/0' });
      assert.equal(run.code, 1, `exit ${run.code} after ${run.ms}ms:\n${run.output}`);
      assert.match(run.output, /rackd: listen EADDRINUSE/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await new Promise((r) => taken.close(r));
    }
  });
});

describe('Valkey going away after start', () => {
  let redis: PrivateRedis | undefined;
  let s: TestServer | undefined;
  after(async () => {
    await s?.stop();
    await redis?.stop();
  });

  it('/readyz answers 503 with valkey unavailable, and 200 again once Valkey is back', { timeout: 60_000 }, async (t) => {
    if (!requireRedisServerBinary(t)) return;
    redis = await startPrivateRedis();
    // Sessions only: a failing rate-limit store would answer every request before the session store does.
    s = await startTestServer({ SESSION_STORE_TYPE: 'valkey', SESSION_TTL: '10m', VALKEY_URL: redis.url });
    assert.equal((await s.api.get('/readyz')).status, 200);
    const cookie = await s.api.login(ADMIN.username, ADMIN.password);
    assert.equal((await s.api.get('/api/auth/me', { cookie })).status, 200);

    await redis.stop();
    let res = await s.api.get('/readyz');
    for (let i = 0; i < 20 && res.status === 200; i++) {
      await sleep(100);
      res = await s.api.get('/readyz');
    }
    assert.equal(res.status, 503);
    assert.deepEqual(res.body, { status: 'not_ready', checks: { database: 'ok', valkey: 'unavailable' } });

    // A request that needs the session store answers 503 promptly instead of hanging or a 500.
    const started = Date.now();
    const me = await s.api.get('/api/auth/me', { cookie });
    assert.equal(me.status, 503);
    assert.equal(me.body.code, 'SERVICE_UNAVAILABLE');
    assert.equal(me.body.error, 'Session store unavailable');
    assert.ok(Date.now() - started < 6_000, `took ${Date.now() - started}ms`);

    // The same port again: the server reconnects on its own (its sessions died with that Valkey).
    redis = await startPrivateRedis(redis.port);
    let back = await s.api.get('/readyz');
    for (let i = 0; i < 50 && back.status !== 200; i++) {
      await sleep(100);
      back = await s.api.get('/readyz');
    }
    assert.equal(back.status, 200);
    assert.deepEqual(back.body, { status: 'ready', checks: { database: 'ok', valkey: 'ok' } });
    assert.equal((await s.api.get('/api/auth/me', { cookie })).status, 401);
    assert.equal((await s.api.get('/api/auth/me', { cookie: await s.api.login(ADMIN.username, ADMIN.password) })).status, 200);
  });
});
