// The database session store, one implementation on the engine contract (db/engine.ts), against
// both engines: what create/get/extend/delete/deleteForUser/purgeExpired do to the rows. The
// PostgreSQL runs are skipped with a message where PostgreSQL does not answer (failed under CI=true).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDatabaseSessionStore, type SessionRecord } from '../../src/auth/session-store.ts';
import type { Engine } from '../../src/db/engine.ts';
import { sha256Hex } from '../../src/platform/ids.ts';
import { ENGINES } from '../helpers/engines.ts';

let n = 0;
const record = (userId: string, expiresAt: string): SessionRecord => ({
  tokenHash: sha256Hex(`token-${++n}`),
  userId,
  createdAt: new Date().toISOString(),
  expiresAt,
  ipAddress: '127.0.0.1',
  userAgent: 'test-agent',
});

async function addUser(engine: Engine, id: string): Promise<void> {
  const now = new Date().toISOString();
  await engine.write((tx) => tx.insert(engine.tables.users).values({ id, username: id, email: `${id}@example.test`, passwordHash: 'x', createdAt: now, updatedAt: now }));
}

for (const [name, open] of Object.entries(ENGINES)) {
  describe(`database session store on ${name}`, () => {
    it('stores, extends and deletes sessions; deletes a user’s all at once; purges the expired', async (t) => {
      const engine = await open(t);
      if (!engine) return;
      const store = createDatabaseSessionStore(engine);
      assert.equal(store.kind, name);
      await addUser(engine, 'u1');
      await addUser(engine, 'u2');
      const later = new Date(Date.now() + 3_600_000).toISOString();
      const a = record('u1', later);
      const b = record('u1', later);
      const c = record('u2', later);
      const old = record('u2', new Date(Date.now() - 1000).toISOString());
      for (const r of [a, b, c, old]) await store.create(r);
      assert.deepEqual(await store.get(a.tokenHash), a);
      assert.equal(await store.get(sha256Hex('never-issued')), undefined);

      const longer = new Date(Date.now() + 7_200_000).toISOString();
      await store.extend(a.tokenHash, longer);
      assert.equal((await store.get(a.tokenHash))?.expiresAt, longer);

      assert.equal(await store.purgeExpired(new Date()), 1);
      assert.equal(await store.get(old.tokenHash), undefined);
      assert.equal(await store.deleteForUser('u1'), 2);
      assert.equal(await store.get(b.tokenHash), undefined);
      await store.delete(c.tokenHash);
      assert.equal(await store.get(c.tokenHash), undefined);
      assert.equal(await store.deleteForUser('u2'), 0);
      await store.ping();
    });
  });
}
