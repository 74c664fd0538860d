// syncWrite (src/db/sync-write.ts): a synchronous better-sqlite3 body run as one transaction of the
// engine's writer queue — committed when it returns, nothing left when it throws, nested
// tx.transaction() as savepoints, never interleaved with an awaited engine.write, an asynchronous
// body refused — and the read-only connection beside it, which sees committed rows only.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sqliteEngine } from '../../src/db/engine.ts';
import { datacenters } from '../../src/db/schema/index.ts';
import { syncWrite } from '../../src/db/sync-write.ts';
import { tempDir } from '../helpers/server.ts';

const now = new Date().toISOString();
const dc = (id: string) => ({ id, name: `dc ${id}`, createdAt: now, updatedAt: now });

describe('syncWrite on the SQLite engine', () => {
  const dir = tempDir();
  const engine = sqliteEngine(join(dir, 'rackd.db'));
  const env = { engine };
  const reader = engine.sqlite.reader;
  const ids = () => reader.select({ id: datacenters.id }).from(datacenters).all().map((r) => r.id).sort();
  after(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits what the body wrote and returns its value', async () => {
    const out = await syncWrite(env, (tx) => {
      tx.insert(datacenters).values(dc('a')).run();
      return 'done';
    });
    assert.equal(out, 'done');
    assert.deepEqual(ids(), ['a']);
  });

  it('leaves nothing of a body that throws; a nested transaction that throws rolls back alone', async () => {
    await assert.rejects(
      syncWrite(env, (tx) => {
        tx.insert(datacenters).values(dc('b')).run();
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(ids(), ['a']);
    await syncWrite(env, (tx) => {
      tx.insert(datacenters).values(dc('c')).run();
      assert.throws(() =>
        tx.transaction((sp) => {
          sp.insert(datacenters).values(dc('d')).run();
          throw new Error('inner');
        }),
      );
    });
    assert.deepEqual(ids(), ['a', 'c']);
  });

  it('refuses an asynchronous body and rolls back what it wrote before its first await', async () => {
    await assert.rejects(
      syncWrite(env, ((tx: { insert: typeof engine.sqlite.writer.insert }) => {
        tx.insert(datacenters).values(dc('e')).run();
        return Promise.resolve();
      }) as never),
      /synchronous body/,
    );
    assert.deepEqual(ids(), ['a', 'c']);
  });

  it('waits for an open awaited write instead of joining its transaction, which the reader does not see until it commits', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slow = engine.write(async (tx) => {
      await tx.insert(engine.tables.datacenters).values(dc('f'));
      await held;
      throw new Error('roll the slow one back');
    });
    await sleep(10);
    // The slow transaction is open and holds an uncommitted row: the reader does not see it.
    assert.deepEqual(ids(), ['a', 'c']);
    const quick = syncWrite(env, (tx) => void tx.insert(datacenters).values(dc('g')).run());
    await sleep(10);
    assert.deepEqual(ids(), ['a', 'c'], 'the synchronous write queued behind the open one');
    release();
    await assert.rejects(slow, /roll the slow one back/);
    await quick;
    // Had the quick write joined the slow transaction, its row would have been rolled back with it.
    assert.deepEqual(ids(), ['a', 'c', 'g']);
  });

  it('the reader connection refuses writes', () => {
    assert.throws(() => reader.insert(datacenters).values(dc('h')).run(), /readonly/i);
  });
});
