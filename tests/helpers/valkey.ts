// Valkey/Redis for tests: the shared server on 127.0.0.1:6379 (skip when absent, fail under
// CI=true), a leased database index per test file so parallel files never share counters or
// sessions, and a private redis-server child process for tests that need to stop Valkey.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { TestContext } from 'node:test';
import { Redis } from 'iovalkey';

export const VALKEY_HOST = '127.0.0.1';
export const VALKEY_PORT = 6379;
const WHERE = `${VALKEY_HOST}:${VALKEY_PORT}`;
const CONNECT_TIMEOUT_MS = 1_000;

/** A client that fails at once instead of queueing or reconnecting. */
function quickClient(opts: { port?: number; db?: number } = {}): Redis {
  return new Redis({
    host: VALKEY_HOST,
    port: opts.port ?? VALKEY_PORT,
    db: opts.db ?? 0,
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
}

async function ping(port = VALKEY_PORT): Promise<boolean> {
  const c = quickClient({ port });
  c.on('error', () => undefined);
  try {
    await c.connect();
    return (await c.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    c.disconnect();
  }
}

let probe: Promise<boolean> | undefined;

/** True when something answers PING on 127.0.0.1:6379 (asked once per process). */
export function valkeyAvailable(): Promise<boolean> {
  probe ??= ping();
  return probe;
}

const inCi = () => process.env.CI === 'true';

/**
 * Call first in a test that needs Valkey: true when it can run. Without Valkey the test is
 * skipped with a message, except under CI=true, where it fails.
 */
export async function requireValkey(t: TestContext): Promise<boolean> {
  if (await valkeyAvailable()) return true;
  if (inCi()) throw new Error(`Valkey/Redis is not answering on ${WHERE}, and CI=true requires it (.ci/run starts redis-server)`);
  t.skip(`Valkey/Redis is not answering on ${WHERE}; start redis-server there to run this test`);
  return false;
}

/** Same rule for a private redis-server binary. */
export function requireRedisServerBinary(t: TestContext): boolean {
  if (redisServerInstalled()) return true;
  if (inCi()) throw new Error('redis-server is not on PATH, and CI=true requires it (.ci/run installs it)');
  t.skip('redis-server is not on PATH; install it to run this test');
  return false;
}

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface ValkeyDb {
  index: number;
  /** VALKEY_URL for a server under test. */
  url: string;
  /** A client selected on this database. */
  client: Redis;
  /** Keys rackd wrote here (`rackd:*`). */
  keys(pattern?: string): Promise<string[]>;
  /** Deletes every `rackd:*` key here (between tests that must not share counters). */
  clear(): Promise<void>;
  /** Deletes what the test run created and gives the index back. */
  release(): Promise<void>;
}

const LEASE_KEY = 'rackd-test:lease';
const LEASE_MS = 10 * 60_000;

async function scanKeys(client: Redis, pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    out.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return out;
}

/**
 * Claims a database index (1–15) on 127.0.0.1:6379 that is empty and not leased by another
 * test file: the lease is a key with a TTL inside that database, so a crashed run frees it.
 * Databases holding anything else are left alone, so a developer's own data is never touched.
 */
export async function leaseValkeyDb(): Promise<ValkeyDb> {
  const token = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const indexes = Array.from({ length: 15 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
  for (const index of indexes) {
    const client = new Redis({ host: VALKEY_HOST, port: VALKEY_PORT, db: index, lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const got = await client.set(LEASE_KEY, token, 'PX', LEASE_MS, 'NX');
      if (got !== 'OK') {
        client.disconnect();
        continue;
      }
      if ((await client.dbsize()) !== 1) {
        await client.del(LEASE_KEY);
        client.disconnect();
        continue;
      }
    } catch {
      client.disconnect(); // e.g. the server has fewer databases configured
      continue;
    }
    const refresh = setInterval(() => void client.pexpire(LEASE_KEY, LEASE_MS).catch(() => undefined), 60_000);
    refresh.unref();
    const clear = async () => {
      const keys = await scanKeys(client, 'rackd:*');
      if (keys.length) await client.del(...keys);
    };
    return {
      index,
      url: `redis://${VALKEY_HOST}:${VALKEY_PORT}/${index}`,
      client,
      keys: (pattern = 'rackd:*') => scanKeys(client, pattern),
      clear,
      async release() {
        clearInterval(refresh);
        await clear();
        if ((await client.get(LEASE_KEY)) === token) await client.del(LEASE_KEY);
        await client.quit();
      },
    };
  }
  throw new Error(`no free database index on ${WHERE} (1–15 are all leased or hold other data)`);
}

/** A free TCP port on the loopback (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, VALKEY_HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface PrivateRedis {
  port: number;
  url: string;
  child: ChildProcess;
  /** Kills the process and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `redis-server` on a free loopback port, without persistence; resolves once it answers. */
export async function startPrivateRedis(port?: number): Promise<PrivateRedis> {
  const p = port ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(p), '--bind', VALKEY_HOST, '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  const deadline = Date.now() + 10_000;
  while (!(await ping(p))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server on port ${p} did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port: p, url: `redis://${VALKEY_HOST}:${p}/0`, child, stop };
}
