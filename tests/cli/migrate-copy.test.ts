// `rackd migrate copy --to postgres://…` as an operator runs it, after a real server filled the
// data directory through its API: every table arrives with its row count and checksum equal, the
// values a reader checks by hand are right (booleans, JSON, text with line breaks and non-ASCII),
// the identity sequence continues, a second copy into the now-filled database is refused, and a
// value PostgreSQL cannot hold fails the copy with the target left empty.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { migratePostgres } from '../../src/db/pg-client.ts';
import { runRackd } from '../helpers/cli.ts';
import { freshDatabase, postgresAvailable, requirePostgres, type FreshDatabase } from '../helpers/postgres.ts';
import { createTestUser, startTestServer, tempDir } from '../helpers/server.ts';

describe('rackd migrate copy', () => {
  let dataDir: string;
  let counts: Map<string, number>;
  const databases: FreshDatabase[] = [];

  before(async () => {
    if (!(await postgresAvailable())) return;
    dataDir = tempDir();
    const s = await startTestServer({}, { dataDir });
    try {
      const { key } = await createTestUser(s.env, ['admin']);
      const api = (method: string, path: string, body?: unknown) => s.api.request(method, path, { token: key, body });
      const dc = await api('POST', '/api/datacenters', { name: 'Zürich 1', location: 'Hardstrasse', description: 'two rooms\nsecond floor' });
      const net = await api('POST', '/api/networks', { name: 'prod', subnet: '10.20.0.0/24', vlan_id: 20, datacenter_id: dc.body.id });
      const pool = await api('POST', `/api/networks/${net.body.id}/pools`, { name: 'servers', start_ip: '10.20.0.10', end_ip: '10.20.0.50', tags: ['prod'] });
      for (let i = 0; i < 30; i++) {
        const d = await api('POST', '/api/devices', { name: `web-${i}`, hostname: `web-${i}.example.net`, tags: ['web', `rack-${i % 3}`], addresses: [{ ip: `10.20.0.${100 + i}` }], datacenter_id: dc.body.id, description: 'Sèrveur 東京' });
        assert.equal(d.status, 201, d.text);
      }
      assert.equal((await api('POST', `/api/pools/${pool.body.id}/allocate`, { hostname: 'alloc-1' })).status, 201);
      assert.equal((await api('POST', '/api/webhooks', { name: 'hook', url: 'https://hooks.example.com/x', events: ['device.created'] })).status, 201);
      assert.equal((await api('POST', '/api/oauth/clients', { client_name: 'agent', scope: 'rackd:read' })).status, 201);
      assert.equal((await api('PUT', `/api/webhooks/${(await api('GET', '/api/webhooks')).body[0].id}`, { active: false })).status, 200);
    } finally {
      await s.stop();
    }
    const lite = new Database(join(dataDir, 'rackd.db'), { readonly: true });
    const tables = lite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_%' AND name <> '__drizzle_migrations'").pluck().all() as string[];
    counts = new Map(tables.map((t) => [t, lite.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]));
    lite.close();
  });
  after(async () => {
    for (const d of databases) await d.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('copies every table, with equal row counts and checksums, and refuses a second copy into it', async (t) => {
    if (!(await requirePostgres(t))) return;
    const target = await freshDatabase();
    databases.push(target);
    const res = await runRackd(['migrate', 'copy', '--to', target.url], { dataDir });
    assert.equal(res.code, 0, res.stderr);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    assert.match(res.stdout, new RegExp(`${counts.size} tables, ${total} rows copied; row counts and checksums match`));
    assert.match(res.stderr, /copied {3}devices \(30 rows\)/);

    const sql = postgres(target.url, { max: 1, onnotice: () => {} });
    try {
      for (const [table, n] of counts) {
        const [{ c }] = await sql.unsafe<{ c: number }[]>(`SELECT count(*)::int AS c FROM "${table}"`);
        assert.equal(c, n, `${table}: ${c} rows in PostgreSQL, ${n} in SQLite`);
      }
      assert.ok(counts.get('devices') === 30 && counts.get('audit_logs')! > 30 && counts.get('events')! > 0);
      const [dc] = await sql`SELECT name, description FROM datacenters WHERE name = 'Zürich 1'`;
      assert.equal(dc!.description, 'two rooms\nsecond floor');
      const [hook] = await sql`SELECT active, secret FROM webhooks`;
      assert.equal(hook!.active, false);
      assert.ok(hook!.secret !== '' && !String(hook!.secret).includes('whsec_'), 'the secret stays sealed');
      const [client] = await sql`SELECT jsonb_typeof(grant_types) AS kind FROM oauth_clients`;
      assert.equal(client!.kind, 'array');
      const [{ max }] = await sql`SELECT max(seq)::int AS max FROM events`;
      const [next] = await sql`INSERT INTO events (id, type, occurred_at, payload) VALUES ('after-copy', 't', 'now', '{}') RETURNING seq`;
      assert.equal(next!.seq, max + 1, 'the identity continues after the copied values');
      await sql`DELETE FROM events WHERE id = 'after-copy'`;
    } finally {
      await sql.end();
    }

    const again = await runRackd(['migrate', 'copy', '--to', target.url], { dataDir });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /not empty: \w+ has \d+ rows/);
  });

  it('fails as a whole on a value PostgreSQL cannot store, leaving the target empty', async (t) => {
    if (!(await requirePostgres(t))) return;
    {
      // An older rackd stored NUL in free text; PostgreSQL text cannot hold it.
      const copyDir = tempDir();
      const src = new Database(join(dataDir, 'rackd.db'), { readonly: true });
      await src.backup(join(copyDir, 'rackd.db'));
      src.close();
      const db = new Database(join(copyDir, 'rackd.db'));
      db.prepare("UPDATE devices SET description = 'a' || char(0) || 'b' WHERE name = 'web-7'").run();
      db.close();
      const target = await freshDatabase();
      databases.push(target);
      const res = await runRackd(['migrate', 'copy', '--to', target.url], { dataDir: copyDir });
      rmSync(copyDir, { recursive: true, force: true });
      assert.equal(res.code, 1, res.stdout);
      assert.match(res.stderr, /devices\.description of the row .* holds a NUL character/);
      const sql = postgres(target.url, { max: 1, onnotice: () => {} });
      try {
        for (const table of counts.keys()) {
          const [{ c }] = await sql.unsafe<{ c: number }[]>(`SELECT count(*)::int AS c FROM "${table}"`);
          assert.equal(c, 0, `${table} is empty after the failed copy`);
        }
      } finally {
        await sql.end();
      }
    }
  });

  it('compares what arrived: a value changed on the way fails the copy, and nothing is committed', async (t) => {
    if (!(await requirePostgres(t))) return;
    const target = await freshDatabase();
    databases.push(target);
    // The target's own trigger alters one value as it is inserted: the read-back must notice.
    await migratePostgres(target.url);
    const sql = postgres(target.url, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`CREATE FUNCTION shout() RETURNS trigger AS $$ BEGIN NEW.name := upper(NEW.name); RETURN NEW; END $$ LANGUAGE plpgsql;
        CREATE TRIGGER shout BEFORE INSERT ON datacenters FOR EACH ROW EXECUTE FUNCTION shout();`);
      const res = await runRackd(['migrate', 'copy', '--to', target.url], { dataDir });
      assert.equal(res.code, 1, res.stdout);
      assert.match(res.stderr, /datacenters differs after the copy: \d+ rows in SQLite, \d+ in PostgreSQL .*nothing was committed/);
      for (const table of counts.keys()) {
        const [{ c }] = await sql.unsafe<{ c: number }[]>(`SELECT count(*)::int AS c FROM "${table}"`);
        assert.equal(c, 0, `${table} is empty after the failed copy`);
      }
    } finally {
      await sql.end();
    }
  });

  it('says what is wrong with its arguments', async () => {
    const empty = tempDir();
    after(() => rmSync(empty, { recursive: true, force: true }));
    const noTarget = await runRackd(['migrate', 'copy'], { dataDir: empty });
    assert.equal(noTarget.code, 2);
    assert.match(noTarget.stderr, /needs --to postgres:\/\//);
    const notPg = await runRackd(['migrate', 'copy', '--to', 'mysql://x/y'], { dataDir: empty });
    assert.equal(notPg.code, 2);
    assert.match(notPg.stderr, /postgres:\/\/ or postgresql:\/\//);
    const noDb = await runRackd(['migrate', 'copy', '--to', 'postgres://postgres@127.0.0.1:5432/none'], { dataDir: empty });
    assert.equal(noDb.code, 1);
    assert.match(noDb.stderr, /no database in/);
  });
});
