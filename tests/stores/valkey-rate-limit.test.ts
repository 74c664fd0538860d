// The Valkey rate-limit store against a real Valkey/Redis: fixed-window counts, the window's
// reset, and one budget shared by several connections (several rackd processes).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'iovalkey';
import { createValkeyRateLimitStore } from '../../src/auth/rate-limit-store.ts';
import { AppError } from '../../src/platform/errors.ts';
import { leaseValkeyDb, requireValkey, valkeyAvailable, type ValkeyDb } from '../helpers/valkey.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('valkey rate-limit store', () => {
  let vdb: ValkeyDb;
  let a: Redis;
  let b: Redis;

  before(async () => {
    if (!(await valkeyAvailable())) return;
    vdb = await leaseValkeyDb();
    a = vdb.client.duplicate();
    b = vdb.client.duplicate();
  });
  after(async () => {
    a?.disconnect();
    b?.disconnect();
    await vdb?.release();
  });
  beforeEach(async () => {
    await vdb?.clear();
  });

  it('counts hits per key in a window whose end it reports, stored as rackd:ratelimit:<key>', async (t) => {
    if (!(await requireValkey(t))) return;
    const store = createValkeyRateLimitStore(a);
    assert.equal(store.kind, 'valkey');
    const t0 = Date.now();
    const first = await store.hit('g:10.0.0.1', 60_000);
    assert.equal(first.count, 1);
    assert.ok(first.resetAt > t0 + 58_000 && first.resetAt <= Date.now() + 60_000, `resetAt ${first.resetAt - t0}`);
    assert.equal((await store.hit('g:10.0.0.1', 60_000)).count, 2);
    await sleep(500);
    const third = await store.hit('g:10.0.0.1', 60_000);
    assert.equal(third.count, 3);
    // The window is fixed: a hit 500 ms later does not push its end out (a sliding one would).
    assert.ok(third.resetAt - first.resetAt < 400, `window moved by ${third.resetAt - first.resetAt}ms`);
    assert.equal((await store.hit('g:10.0.0.2', 60_000)).count, 1);
    assert.equal(await vdb.client.get('rackd:ratelimit:g:10.0.0.1'), '3');
    const pttl = await vdb.client.pttl('rackd:ratelimit:g:10.0.0.1');
    assert.ok(pttl > 58_000 && pttl <= 60_000, `PTTL ${pttl}`);
  });

  it('starts a new window at count 1 once the old one ends', async (t) => {
    if (!(await requireValkey(t))) return;
    const store = createValkeyRateLimitStore(a);
    assert.equal((await store.hit('l:10.0.0.3', 200)).count, 1);
    assert.equal((await store.hit('l:10.0.0.3', 200)).count, 2);
    await sleep(350);
    assert.equal(await vdb.client.exists('rackd:ratelimit:l:10.0.0.3'), 0);
    const fresh = await store.hit('l:10.0.0.3', 200);
    assert.equal(fresh.count, 1);
    assert.ok(fresh.resetAt > Date.now() + 100);
  });

  it('repairs a counter that lost its TTL instead of blocking the client forever', async (t) => {
    if (!(await requireValkey(t))) return;
    const store = createValkeyRateLimitStore(a);
    await vdb.client.set('rackd:ratelimit:g:10.0.0.9', '50'); // no expiry
    const hit = await store.hit('g:10.0.0.9', 60_000);
    assert.equal(hit.count, 51);
    const pttl = await vdb.client.pttl('rackd:ratelimit:g:10.0.0.9');
    assert.ok(pttl > 58_000 && pttl <= 60_000, `PTTL ${pttl}`);
  });

  it('two stores on two connections share one budget', async (t) => {
    if (!(await requireValkey(t))) return;
    const one = createValkeyRateLimitStore(a);
    const two = createValkeyRateLimitStore(b);
    const counts: number[] = [];
    for (let i = 0; i < 6; i++) counts.push((await (i % 2 ? two : one).hit('g:10.0.0.4', 60_000)).count);
    assert.deepEqual(counts, [1, 2, 3, 4, 5, 6]);
    // Concurrent hits from both never lose an increment.
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? two : one).hit('g:10.0.0.4', 60_000)));
    assert.deepEqual(
      burst.map((h) => h.count).sort((x, y) => x - y),
      Array.from({ length: 20 }, (_, i) => i + 7),
    );
  });
});

describe('valkey rate-limit store without Valkey', () => {
  it('fails closed with SERVICE_UNAVAILABLE (503)', async () => {
    // Port 1 on the loopback refuses connections; no queueing, no retry.
    const dead = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    dead.on('error', () => undefined);
    await assert.rejects(Promise.resolve(createValkeyRateLimitStore(dead).hit('g:10.0.0.5', 60_000)), (err: unknown) => {
      assert.ok(err instanceof AppError, String(err));
      assert.equal(err.code, 'SERVICE_UNAVAILABLE');
      assert.equal(err.message, 'Rate-limit store unavailable');
      return true;
    });
    dead.disconnect();
  });
});
