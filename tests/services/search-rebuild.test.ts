// The search index is rebuilt from the objects when the database holds an older index version
// (after the migration that re-creates the FTS tables, or a change to what is indexed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemContext } from '../../src/auth/context.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteEngine } from '../../src/db/engine.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { saveDatacenter } from '../../src/services/datacenters/save.ts';
import { saveDevice } from '../../src/services/devices/save.ts';
import type { ServiceEnv } from '../../src/services/env.ts';
import { discardingOutbox } from '../../src/services/events/outbox.ts';
import { saveNetwork } from '../../src/services/networks/save.ts';
import { search } from '../../src/services/search/search.ts';
import { ensureSearchIndex, SEARCH_INDEX_VERSION } from '../../src/services/search/rebuild.ts';
import { parseConfig } from '../../src/platform/config.ts';

describe('search index rebuild', () => {
  it('rebuilds names and text from the objects when the version differs, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rackd-search-'));
    const engine = sqliteEngine(join(dir, 'rackd.db'));
    const config = parseConfig({ DATA_DIR: dir, AUDIT_ENABLED: 'false' });
    const env = { db: engine.sqlite.reader, engine, config, clock: { now: () => new Date() }, logger: createLogger({ level: 'error', format: 'json' }), outbox: discardingOutbox } as unknown as ServiceEnv;
    const ctx = systemContext('test');
    assert.equal(await ensureSearchIndex(env), 0, 'a new database is stamped with the current version');
    assert.equal(await ensureSearchIndex(env), undefined);

    await saveDatacenter(env, ctx, { name: 'Oslo North', location: 'Norway' });
    await saveNetwork(env, ctx, { name: 'oslo-mgmt', subnet: '10.1.0.0/24', vlan_id: 12 });
    for (let i = 0; i < 1203; i++) await saveDevice(env, ctx, { name: `edge-${i}`, description: i === 7 ? 'router in Oslo' : '', tags: ['edge'], addresses: i === 7 ? [{ ip: '10.1.0.7' }] : [] });
    const names = async (q: string, extra: Record<string, unknown> = {}) =>
      (await search(env, ctx, { query: q, limit: 5, ...extra })).items.map((h: { name: string; rank: number }) => `${h.name}:${h.rank}`);
    const before = { oslo: await names('oslo'), edge: await names('edge'), ip: await names('10.1.0.7'), total: (await search(env, ctx, { query: 'edge', limit: 1 })).total };

    // As if the tables had been re-created by a migration: empty, and no version recorded.
    engine.sqlite.writer.$client.exec(`INSERT INTO search_index (search_index) VALUES ('delete-all'); INSERT INTO search_names (search_names) VALUES ('delete-all');
      DELETE FROM search_docs; DELETE FROM app_state WHERE key = 'search.index_version'`);
    assert.deepEqual(await names('oslo'), []);
    assert.equal(await ensureSearchIndex(env), 1 + 1 + 1203);
    assert.equal(engine.sqlite.reader.$client.prepare(`SELECT value FROM app_state WHERE key = 'search.index_version'`).pluck().get(), SEARCH_INDEX_VERSION);
    const after = { oslo: await names('oslo'), edge: await names('edge'), ip: await names('10.1.0.7'), total: (await search(env, ctx, { query: 'edge', limit: 1 })).total };
    assert.deepEqual(after, before);
    assert.deepEqual(after.oslo, ['Oslo North:0', 'oslo-mgmt:0', 'edge-7:2']);
    assert.equal(after.total, 1203);
    assert.equal(await ensureSearchIndex(env), undefined, 'nothing to do the second time');
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
