// The migration that adds search_names must index the names of objects that existed before it.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MIGRATIONS_DIR, openDatabase } from '../../src/db/client.ts';
import { datacenters, devices } from '../../src/db/schema/index.ts';
import { indexDocument } from '../../src/services/search/index-doc.ts';

describe('search_names migration', () => {
  it('fills the name index from the devices, networks and datacenters already indexed', () => {
    const db = openDatabase(':memory:');
    const now = new Date().toISOString();
    db.insert(datacenters).values({ id: 'dc1', name: 'Oslo North', createdAt: now, updatedAt: now }).run();
    db.insert(devices).values({ id: 'dev1', name: 'edge-router-7', createdAt: now, updatedAt: now }).run();
    indexDocument(db, 'datacenter', 'dc1', 'Oslo North', ['Norway']);
    indexDocument(db, 'device', 'dev1', 'edge-router-7', ['router in Oslo']);
    // The state before the migration: names only in search_index.
    db.$client.exec('DELETE FROM search_names');
    const names = (q: string) => db.$client.prepare('SELECT rowid FROM search_names WHERE search_names MATCH ? ORDER BY rowid').pluck().all(q);
    assert.deepEqual(names('"oslo"*'), []);

    const file = readdirSync(MIGRATIONS_DIR).find((f) => /^\d{4}_search_names\.sql$/.test(f));
    assert.ok(file, 'the search_names migration exists');
    const statements = readFileSync(join(MIGRATIONS_DIR, file), 'utf8').split('--> statement-breakpoint').slice(1);
    for (const st of statements) db.$client.exec(st);

    const rowid = (kind: string, id: string) => db.$client.prepare('SELECT rowid FROM search_docs WHERE kind = ? AND ref_id = ?').pluck().get(kind, id);
    assert.deepEqual(names('"oslo"*'), [rowid('datacenter', 'dc1')], 'only the name is indexed, not the other text');
    assert.deepEqual(names('"router"*'), [rowid('device', 'dev1')]);
    db.$client.close();
  });
});
