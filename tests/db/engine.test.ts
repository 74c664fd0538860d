// The asynchronous data-access contract (src/db/engine.ts), the same tests on both engines: a
// write transaction commits when its function returns and leaves nothing when it throws (rule 6), a
// savepoint rolls back alone, reads outside a transaction see committed data only, one typed
// query runs on either dialect, and on SQLite writers with awaits inside never interleave.
// The PostgreSQL runs are skipped with a message where PostgreSQL does not answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { sqliteEngine } from '../../src/db/engine.ts';
import { ENGINES } from '../helpers/engines.ts';

const now = new Date().toISOString();
const dc = (id: string) => ({ id, name: `dc ${id}`, createdAt: now, updatedAt: now });

for (const [name, open] of Object.entries(ENGINES)) {
  describe(`data-access engine: ${name}`, () => {
    it('commits what a transaction wrote when it returns, with .returning()', async (t) => {
      const e = await open(t);
      if (!e) return;
      const { datacenters } = e.tables;
      const [row] = await e.write((tx) => tx.insert(datacenters).values(dc('c1')).returning());
      assert.equal(row!.name, 'dc c1');
      const [read] = await e.reader.select().from(datacenters).where(eq(datacenters.id, 'c1'));
      assert.equal(read!.location, '', 'column defaults apply on both engines');
      const updated = await e.write((tx) => tx.update(datacenters).set({ location: 'AMS' }).where(eq(datacenters.id, 'c1')).returning({ id: datacenters.id }));
      assert.deepEqual(updated, [{ id: 'c1' }]);
    });

    it('leaves nothing when the transaction throws, after awaits and several writes', async (t) => {
      const e = await open(t);
      if (!e) return;
      const { datacenters } = e.tables;
      await assert.rejects(
        e.write(async (tx) => {
          await tx.insert(datacenters).values(dc('r1'));
          await sleep(5);
          await tx.insert(datacenters).values(dc('r2'));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual(await e.reader.select().from(datacenters).where(eq(datacenters.id, 'r1')), []);
      assert.deepEqual(await e.reader.select().from(datacenters).where(eq(datacenters.id, 'r2')), []);
      // A failed statement (duplicate key) rolls the whole transaction back too.
      await e.write((tx) => tx.insert(datacenters).values(dc('d1')));
      await assert.rejects(
        e.write(async (tx) => {
          await tx.insert(datacenters).values(dc('d2'));
          await tx.insert(datacenters).values(dc('d1'));
        }),
      );
      assert.deepEqual(await e.reader.select().from(datacenters).where(eq(datacenters.id, 'd2')), []);
      // And the engine goes on working.
      await e.write((tx) => tx.insert(datacenters).values(dc('after')));
      assert.equal((await e.reader.select().from(datacenters).where(eq(datacenters.id, 'after'))).length, 1);
    });

    it('rolls a savepoint back alone and keeps the rest of the transaction', async (t) => {
      const e = await open(t);
      if (!e) return;
      const { datacenters } = e.tables;
      await e.write(async (tx) => {
        await tx.insert(datacenters).values(dc('outer'));
        await assert.rejects(
          tx.savepoint(async (inner) => {
            await inner.insert(datacenters).values(dc('inner'));
            throw new Error('inner fails');
          }),
          /inner fails/,
        );
        await tx.savepoint((inner) => inner.insert(datacenters).values(dc('inner-ok')));
      });
      const ids = (await e.reader.select({ id: datacenters.id }).from(datacenters)).map((r) => r.id).filter((id) => id.startsWith('inner') || id === 'outer');
      assert.deepEqual(ids.sort(), ['inner-ok', 'outer']);
    });

    it('shows a transaction’s writes to readers only once it commits', async (t) => {
      const e = await open(t);
      if (!e) return;
      const { datacenters } = e.tables;
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let inserted!: () => void;
      const wrote = new Promise<void>((r) => (inserted = r));
      const tx = e.write(async (tx) => {
        await tx.insert(datacenters).values(dc('pending'));
        inserted();
        await held;
      });
      await wrote;
      assert.deepEqual(await e.reader.select().from(datacenters).where(eq(datacenters.id, 'pending')), [], 'not visible while open');
      release();
      await tx;
      assert.equal((await e.reader.select().from(datacenters).where(eq(datacenters.id, 'pending'))).length, 1);
    });
  });
}

describe('data-access engine: sqlite writers', () => {
  it('run one at a time: 25 read-then-write transactions with awaits inside lose no update', async (t) => {
    const e = (await ENGINES.sqlite!(t))!;
    const { appState } = e.tables;
    await e.write((tx) => tx.insert(appState).values({ key: 'n', value: '0', updatedAt: now }));
    await Promise.all(
      Array.from({ length: 25 }, () =>
        e.write(async (tx) => {
          const [row] = await tx.select().from(appState).where(eq(appState.key, 'n'));
          await sleep(1);
          await tx.update(appState).set({ value: String(Number(row!.value) + 1) }).where(eq(appState.key, 'n'));
        }),
      ),
    );
    const [row] = await e.reader.select().from(appState).where(eq(appState.key, 'n'));
    assert.equal(row!.value, '25');
  });

  it('refuses an in-memory database (its reader would need a second connection)', () => {
    assert.throws(() => sqliteEngine(':memory:'), /needs a database file/);
  });
});
