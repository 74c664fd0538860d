// device_get reads through a cache of committed devices (readDevice): every write — through the
// API, inside a rolled-back transaction, or by another connection on the same file (another rackd
// process, the offline CLI) — is seen by the next read, and a cached device cannot be changed by
// whoever holds it.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DB_FILE } from '../../src/db/client.ts';
import { syncWrite } from '../../src/db/sync-write.ts';
import { readDevice } from '../../src/services/devices/internal.ts';
import { createTestUser, startTestServer, type TestServer } from '../helpers/server.ts';

describe('device read cache', () => {
  let s: TestServer;
  let key: string;
  let id: string;
  const get = async () => (await s.api.get(`/api/devices/${id}`, { token: key })).body;
  before(async () => {
    s = await startTestServer();
    key = (await createTestUser(s.env, ['admin'])).key;
    const res = await s.api.post('/api/devices', { name: 'cached-1', tags: ['a'], addresses: [{ ip: '10.9.0.1' }] }, { token: key });
    assert.equal(res.status, 201, res.text);
    id = res.body.id;
  });
  after(() => s.stop());

  it('serves the same device until a write, then the written one', async () => {
    assert.equal((await get()).name, 'cached-1');
    assert.equal((await get()).name, 'cached-1');
    const put = await s.api.put(`/api/devices/${id}`, { name: 'cached-2', tags: ['a', 'b'] }, { token: key });
    assert.equal(put.status, 200, put.text);
    const after = await get();
    assert.equal(after.name, 'cached-2');
    assert.deepEqual(after.tags, ['a', 'b']);
  });

  it('sees a commit by another connection on the same database file', async () => {
    assert.equal((await get()).name, 'cached-2');
    const other = new Database(join(s.dataDir, DB_FILE));
    try {
      other.prepare('UPDATE devices SET name = ? WHERE id = ?').run('renamed-elsewhere', id);
    } finally {
      other.close();
    }
    assert.equal((await get()).name, 'renamed-elsewhere');
  });

  it('never serves a change that was rolled back', async () => {
    const before = await get();
    await assert.rejects(
      syncWrite(s.env, (tx) => {
        tx.$client.prepare('UPDATE devices SET name = ? WHERE id = ?').run('never-committed', id);
        throw new Error('roll back');
      }),
    );
    assert.equal((await get()).name, before.name);
  });

  it('hands out a frozen device: a caller cannot change what the next reader gets', () => {
    const d = readDevice(s.env.db, id);
    assert.ok(Object.isFrozen(d) && Object.isFrozen(d.tags) && Object.isFrozen(d.addresses[0]));
    assert.throws(() => {
      (d as { name: string }).name = 'mutated';
    }, TypeError);
    assert.throws(() => (d.tags as string[]).push('x'), TypeError);
    assert.equal(readDevice(s.env.db, id).name, d.name);
  });
});
