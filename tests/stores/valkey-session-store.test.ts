// The Valkey session store against a real Valkey/Redis: what it stores, under which keys, with
// which TTL, and that revocation and expiry really remove sessions.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'iovalkey';
import { createValkeySessionStore, type SessionRecord, type SessionStore } from '../../src/auth/session-store.ts';
import { AppError } from '../../src/platform/errors.ts';
import { sha256Hex } from '../../src/platform/ids.ts';
import { leaseValkeyDb, requireValkey, valkeyAvailable, type ValkeyDb } from '../helpers/valkey.ts';

let n = 0;
function record(userId: string, ttlMs: number): SessionRecord {
  const now = Date.now();
  return {
    tokenHash: sha256Hex(`token-${++n}-${now}`),
    userId,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttlMs).toISOString(),
    ipAddress: '127.0.0.1',
    userAgent: 'test-agent',
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('valkey session store', () => {
  let vdb: ValkeyDb;
  let redis: Redis;
  let store: SessionStore;

  before(async () => {
    if (!(await valkeyAvailable())) return;
    vdb = await leaseValkeyDb();
    redis = vdb.client.duplicate();
    store = createValkeySessionStore(redis);
  });
  after(async () => {
    redis?.disconnect();
    await vdb?.release();
  });
  beforeEach(async () => {
    await vdb?.clear();
  });

  it('creates a session under rackd:session:<hash> with the record as JSON and indexes it per user', async (t) => {
    if (!(await requireValkey(t))) return;
    assert.equal(store.kind, 'valkey');
    const rec = record('user-a', 60_000);
    await store.create(rec);
    assert.deepEqual(JSON.parse((await vdb.client.get(`rackd:session:${rec.tokenHash}`))!), rec);
    assert.deepEqual(await vdb.client.smembers('rackd:user_sessions:user-a'), [rec.tokenHash]);
    assert.deepEqual(await store.get(rec.tokenHash), rec);
    assert.equal(await store.get(sha256Hex('never-issued')), undefined);
  });

  it('sets the TTL in Valkey from expiresAt, on the session and on the user index', async (t) => {
    if (!(await requireValkey(t))) return;
    const rec = record('user-ttl', 60_000);
    await store.create(rec);
    const pttl = await vdb.client.pttl(`rackd:session:${rec.tokenHash}`);
    assert.ok(pttl > 58_000 && pttl <= 60_000, `session PTTL ${pttl}`);
    const ipttl = await vdb.client.pttl('rackd:user_sessions:user-ttl');
    assert.ok(ipttl > 58_000 && ipttl <= 60_000, `index PTTL ${ipttl}`);
  });

  it('a shorter second session does not shorten the user index TTL', async (t) => {
    if (!(await requireValkey(t))) return;
    await store.create(record('user-idx', 60_000));
    await store.create(record('user-idx', 5_000));
    const ipttl = await vdb.client.pttl('rackd:user_sessions:user-idx');
    assert.ok(ipttl > 55_000, `index PTTL ${ipttl}`);
  });

  it('extend rewrites expiresAt and the TTL, and never resurrects a deleted session', async (t) => {
    if (!(await requireValkey(t))) return;
    const rec = record('user-ext', 10_000);
    await store.create(rec);
    const later = new Date(Date.now() + 120_000).toISOString();
    await store.extend(rec.tokenHash, later);
    assert.deepEqual(await store.get(rec.tokenHash), { ...rec, expiresAt: later });
    const pttl = await vdb.client.pttl(`rackd:session:${rec.tokenHash}`);
    assert.ok(pttl > 118_000 && pttl <= 120_000, `session PTTL ${pttl}`);
    const ipttl = await vdb.client.pttl('rackd:user_sessions:user-ext');
    assert.ok(ipttl > 118_000, `index PTTL ${ipttl}`);

    await store.delete(rec.tokenHash);
    await store.extend(rec.tokenHash, later);
    assert.equal(await store.get(rec.tokenHash), undefined);
    assert.equal(await vdb.client.exists(`rackd:session:${rec.tokenHash}`), 0);
  });

  it('delete removes the session and its index entry, and leaves the user\'s other sessions', async (t) => {
    if (!(await requireValkey(t))) return;
    const a = record('user-del', 60_000);
    const b = record('user-del', 60_000);
    await store.create(a);
    await store.create(b);
    await store.delete(a.tokenHash);
    assert.equal(await store.get(a.tokenHash), undefined);
    assert.deepEqual(await store.get(b.tokenHash), b);
    assert.deepEqual(await vdb.client.smembers('rackd:user_sessions:user-del'), [b.tokenHash]);
    await store.delete(sha256Hex('unknown')); // no error for an unknown session
  });

  it('deleteForUser removes every session of that user only and returns how many', async (t) => {
    if (!(await requireValkey(t))) return;
    const mine = [record('user-x', 60_000), record('user-x', 60_000), record('user-x', 60_000)];
    const other = record('user-y', 60_000);
    for (const r of [...mine, other]) await store.create(r);
    assert.equal(await store.deleteForUser('user-x'), 3);
    for (const r of mine) assert.equal(await store.get(r.tokenHash), undefined);
    assert.deepEqual(await store.get(other.tokenHash), other);
    assert.equal(await vdb.client.exists('rackd:user_sessions:user-x'), 0);
    assert.equal(await store.deleteForUser('user-x'), 0);
    assert.equal(await store.deleteForUser('nobody'), 0);
  });

  it('deleteForUser counts only sessions still alive (expired ones are gone already)', async (t) => {
    if (!(await requireValkey(t))) return;
    await store.create(record('user-mix', 100));
    const live = record('user-mix', 60_000);
    await store.create(live);
    await sleep(250);
    assert.equal(await store.deleteForUser('user-mix'), 1);
    assert.equal(await store.get(live.tokenHash), undefined);
  });

  it('expired sessions are gone from Valkey without any purge', async (t) => {
    if (!(await requireValkey(t))) return;
    const rec = record('user-exp', 150);
    await store.create(rec);
    assert.deepEqual(await store.get(rec.tokenHash), rec);
    await sleep(400);
    assert.equal(await store.get(rec.tokenHash), undefined);
    assert.equal(await vdb.client.exists(`rackd:session:${rec.tokenHash}`), 0);
    assert.equal(await vdb.client.exists('rackd:user_sessions:user-exp'), 0);
    assert.equal(await store.purgeExpired(new Date()), 0);
  });

  it('ping answers while connected', async (t) => {
    if (!(await requireValkey(t))) return;
    await store.ping();
  });
});

describe('valkey session store without Valkey', () => {
  it('answers every operation with SERVICE_UNAVAILABLE (503), not an unknown error (500)', async () => {
    // Port 1 on the loopback refuses connections; no queueing, no retry.
    const dead = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    dead.on('error', () => undefined);
    const store = createValkeySessionStore(dead);
    const isUnavailable = (err: unknown) => {
      assert.ok(err instanceof AppError, String(err));
      assert.equal(err.code, 'SERVICE_UNAVAILABLE');
      assert.equal(err.status, 503);
      assert.equal(err.message, 'Session store unavailable');
      return true;
    };
    const rec = record('user-dead', 60_000);
    await assert.rejects(store.create(rec), isUnavailable);
    await assert.rejects(store.get(rec.tokenHash), isUnavailable);
    await assert.rejects(store.extend(rec.tokenHash, rec.expiresAt), isUnavailable);
    await assert.rejects(store.delete(rec.tokenHash), isUnavailable);
    await assert.rejects(store.deleteForUser('user-dead'), isUnavailable);
    await assert.rejects(store.ping(), isUnavailable);
    dead.disconnect();
  });
});
