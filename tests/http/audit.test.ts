// The audit log's read side against the real server: what auth events and service verbs record,
// the filters, pagination, the uncapped formula-guarded export, permissions, AUDIT_ENABLED=false
// and the retention job.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { count } from 'drizzle-orm';
import { auditLogs } from '../../src/db/schema/index.ts';
import { newId, sha256Hex } from '../../src/platform/ids.ts';
import { AUDIT_CSV_COLUMNS } from '../../src/services/audit/export.ts';
import type { ServiceEnv } from '../../src/services/env.ts';
import { ADMIN, createTestUser, startTestServer, type TestServer, type TestUser, writerOf } from '../helpers/server.ts';

type Row = typeof auditLogs.$inferInsert;
const DAY = 86_400_000;

/** Inserts entries straight into the table (fast fixtures); returns their ids in insert order. */
function insertEntries(env: ServiceEnv, rows: Partial<Row>[]): string[] {
  const now = new Date().toISOString();
  return writerOf(env).transaction((tx) =>
    rows.map((r) => {
      const id = r.id ?? newId();
      tx.insert(auditLogs)
        .values({ timestamp: now, action: 'fixture.create', resource: 'fixture', source: 'api', status: 'success', ...r, id })
        .run();
      return id;
    }),
  );
}

/** RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (text[i + 1] === '"') (cell += '"'), i++;
      else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  assert.equal(row.length + cell.length, 0, 'CSV must end with CRLF');
  return rows;
}

describe('audit log', () => {
  let s: TestServer;
  let admin: string;
  let viewer: TestUser;
  let operator: TestUser;
  const audit = (query = '') => s.api.get(`/api/audit${query}`, { cookie: admin });

  before(async () => {
    s = await startTestServer({ AUDIT_RETENTION_DAYS: '30' });
    admin = await s.api.login(ADMIN.username, ADMIN.password);
    viewer = await createTestUser(s.env, ['viewer']);
    operator = await createTestUser(s.env, ['operator']);
  });
  after(() => s.stop());

  describe('what is recorded', () => {
    it('records a successful login with the user, client ip and source', async () => {
      await s.api.login(viewer.username, viewer.password);
      const res = await audit(`?action=auth.login&user_id=${viewer.id}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.length, 1);
      const e = res.body[0];
      assert.equal(e.status, 'success');
      assert.equal(e.resource, 'session');
      assert.equal(e.resource_id, viewer.id);
      assert.equal(e.username, viewer.username);
      assert.equal(e.ip_address, '127.0.0.1');
      assert.equal(e.source, 'api');
      assert.equal(e.error_code, '');
      assert.match(e.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      // The single-entry route returns the same entry.
      const one = await s.api.get(`/api/audit/${e.id}`, { cookie: admin });
      assert.equal(one.status, 200);
      assert.deepEqual(one.body, e);
    });

    it('records a failed login as failure with INVALID_CREDENTIALS and the real client ip, never the password', async () => {
      const ghost = `ghost-${newId()}`;
      const res = await s.api.post('/api/auth/login', { username: ghost, password: 'wrong-password-123' }, { headers: { 'x-forwarded-for': '203.0.113.7' } });
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'INVALID_CREDENTIALS');
      const list = await audit('?action=auth.login&status=failure');
      const e = list.body.find((x: any) => x.changes?.username === ghost);
      assert.ok(e, 'failure entry exists');
      assert.equal(e.status, 'failure');
      assert.equal(e.error_code, 'INVALID_CREDENTIALS');
      assert.equal(e.ip_address, '127.0.0.1', 'X-Forwarded-For from an untrusted peer is ignored');
      assert.equal(e.source, 'api');
      assert.equal(e.user_id, '');
      assert.ok(!JSON.stringify(e).includes('wrong-password-123'));
    });

    it('records logout', async () => {
      const u = await createTestUser(s.env, ['viewer']);
      const cookie = await s.api.login(u.username, u.password);
      assert.equal((await s.api.post('/api/auth/logout', undefined, { cookie })).status, 204);
      const res = await audit(`?action=auth.logout&user_id=${u.id}`);
      assert.equal(res.body.length, 1);
      assert.equal(res.body[0].status, 'success');
      assert.equal(res.body[0].username, u.username);
    });

    it('records API key create and delete without the key or its hash', async () => {
      const created = await s.api.post('/api/keys', { name: 'audited-key' }, { cookie: admin });
      assert.equal(created.status, 201);
      const { id, key } = created.body;
      assert.equal((await s.api.delete(`/api/keys/${id}`, { cookie: admin })).status, 204);

      const c = await audit(`?action=apikey.create&resource_id=${id}`);
      assert.equal(c.body.length, 1);
      assert.equal(c.body[0].status, 'success');
      assert.equal(c.body[0].username, 'admin');
      assert.equal(c.body[0].changes.after.name, 'audited-key');
      const d = await audit(`?action=apikey.delete&resource_id=${id}`);
      assert.equal(d.body.length, 1);
      assert.equal(d.body[0].changes.before.id, id);
      for (const e of [c.body[0], d.body[0]]) {
        const text = JSON.stringify(e);
        for (const k of ['key', 'key_hash', 'keyHash']) {
          assert.ok(!(k in (e.changes.after ?? e.changes.before)), `${k} not in changes`);
        }
        assert.ok(!text.includes(key), 'plaintext key absent');
        assert.ok(!text.includes(sha256Hex(key)), 'key hash absent');
      }
    });

    it('records a FORBIDDEN attempt as a failure', async () => {
      const res = await s.api.get('/api/audit', { token: viewer.key });
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 'FORBIDDEN');
      const list = await audit(`?action=audit.list&user_id=${viewer.id}`);
      assert.equal(list.body.length, 1);
      const e = list.body[0];
      assert.equal(e.status, 'failure');
      assert.equal(e.error_code, 'FORBIDDEN');
      assert.equal(e.source, 'api');
      assert.equal(e.ip_address, '127.0.0.1');
    });
  });

  describe('permissions', () => {
    it('needs credentials', async () => {
      for (const path of ['/api/audit', '/api/audit/export', `/api/audit/${newId()}`]) {
        assert.equal((await s.api.get(path)).status, 401, path);
      }
    });

    it('denies a viewer (no audit:list, audit:read, audit:export) with 403 on every route', async () => {
      const [id] = insertEntries(s.env, [{}]);
      for (const path of ['/api/audit', '/api/audit/export', `/api/audit/${id}`]) {
        const res = await s.api.get(path, { token: viewer.key });
        assert.equal(res.status, 403, path);
        assert.equal(res.body.code, 'FORBIDDEN');
      }
    });

    it('lets an operator list and read but not export', async () => {
      const [id] = insertEntries(s.env, [{}]);
      assert.equal((await s.api.get('/api/audit', { token: operator.key })).status, 200);
      assert.equal((await s.api.get(`/api/audit/${id}`, { token: operator.key })).status, 200);
      const res = await s.api.get('/api/audit/export', { token: operator.key });
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 'FORBIDDEN');
      const failed = await audit(`?action=audit.export&user_id=${operator.id}&status=failure`);
      assert.equal(failed.body.length, 1);
    });

    it('answers 404 NOT_FOUND for an unknown id', async () => {
      const res = await s.api.get(`/api/audit/${newId()}`, { cookie: admin });
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 'NOT_FOUND');
    });
  });

  describe('filters and pagination', () => {
    const T = Math.floor((Date.now() - 10 * DAY) / 60_000) * 60_000;
    const at = (minutes: number) => new Date(T + minutes * 60_000).toISOString();
    let A: string, B: string, C: string, D: string;
    before(() => {
      [A, B, C, D] = insertEntries(s.env, [
        { action: 'fixture.create', resource: 'fx', resourceId: 'r1', userId: 'u-a', source: 'api', status: 'success', timestamp: at(1) },
        { action: 'fixture.update', resource: 'fx', resourceId: 'r1', userId: 'u-b', source: 'mcp', status: 'failure', timestamp: at(2) },
        { action: 'fixture.delete', resource: 'fx', resourceId: 'r2', userId: 'u-a', source: 'cli', status: 'success', timestamp: at(3) },
        { action: 'fixture.create', resource: 'fx', resourceId: 'r3', userId: 'u-b', source: 'system', status: 'failure', timestamp: at(4) },
      ]) as [string, string, string, string];
    });
    const ids = async (query: string, total?: number) => {
      const res = await audit(query);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get('x-total-count'), String(total ?? res.body.length));
      return res.body.map((e: any) => e.id);
    };

    it('lists newest first and narrows by each filter', async () => {
      assert.deepEqual(await ids('?resource=fx'), [D, C, B, A]);
      assert.deepEqual(await ids('?resource=fx&action=fixture.create'), [D, A]);
      assert.deepEqual(await ids('?resource=fx&resource_id=r1'), [B, A]);
      assert.deepEqual(await ids('?user_id=u-a'), [C, A]);
      assert.deepEqual(await ids('?resource=fx&source=mcp'), [B]);
      assert.deepEqual(await ids('?resource=fx&source=system'), [D]);
      assert.deepEqual(await ids('?resource=fx&status=failure'), [D, B]);
      assert.deepEqual(await ids('?resource=fx&status=success&user_id=u-a&resource_id=r2'), [C]);
      assert.deepEqual(await ids('?resource=nothing-here'), []);
    });

    it('filters by an inclusive time range, normalising offsets and missing milliseconds', async () => {
      const q = (p: Record<string, string>) => `?${new URLSearchParams({ resource: 'fx', ...p })}`;
      assert.deepEqual(await ids(q({ start_time: at(2), end_time: at(3) })), [C, B]);
      assert.deepEqual(await ids(q({ start_time: at(3) })), [D, C]);
      assert.deepEqual(await ids(q({ end_time: at(1) })), [A]);
      // 1 minute past T+1m expressed in +01:00 without milliseconds is the same instant as at(2).
      const plusOne = new Date(T + 2 * 60_000 + 3_600_000).toISOString().replace('.000Z', '+01:00');
      assert.deepEqual(await ids(q({ start_time: plusOne })), [D, C, B]);
    });

    it('paginates with limit/offset and X-Total-Count', async () => {
      assert.deepEqual(await ids('?resource=fx&limit=2', 4), [D, C]);
      assert.deepEqual(await ids('?resource=fx&limit=2&offset=2', 4), [B, A]);
      assert.deepEqual(await ids('?resource=fx&limit=3&offset=3', 4), [A]);
      assert.deepEqual(await ids('?resource=fx&offset=4', 4), []);
    });

    it('rejects bad filter values with 400 VALIDATION_ERROR naming the field', async () => {
      const cases: Array<[string, string]> = [
        ['/api/audit?bogus=1', 'bogus'],
        ['/api/audit?start_time=yesterday', 'start_time'],
        ['/api/audit?end_time=2026-13-45T00:00:00Z', 'end_time'],
        [`/api/audit?start_time=${at(3)}&end_time=${at(2)}`, 'end_time'],
        ['/api/audit?source=ftp', 'source'],
        ['/api/audit?status=ok', 'status'],
        ['/api/audit?limit=0', 'limit'],
        ['/api/audit?limit=1001', 'limit'],
        ['/api/audit?offset=-1', 'offset'],
        ['/api/audit?action=a&action=b', 'action'],
        ['/api/audit/export?format=xml', 'format'],
        ['/api/audit/export?limit=10', 'limit'],
        ['/api/audit/export?start_time=soon', 'start_time'],
      ];
      for (const [path, field] of cases) {
        const res = await s.api.get(path, { cookie: admin });
        assert.equal(res.status, 400, path);
        assert.equal(res.body.code, 'VALIDATION_ERROR', path);
        assert.ok(res.body.details.some((d: any) => d.field === field), `${path} names ${field}: ${res.text}`);
      }
    });
  });

  describe('export', () => {
    let bulk: Set<string>;
    before(() => {
      // 2,500 rows, 1,500 of them in the same millisecond so pages must break ties on id.
      const same = new Date(Date.now() - DAY).toISOString();
      const rows = Array.from({ length: 2500 }, (_, i) => ({
        resource: 'bulk',
        resourceId: `b${i}`,
        timestamp: i < 1500 ? same : new Date(Date.now() - 2 * DAY + i * 1000).toISOString(),
      }));
      bulk = new Set(insertEntries(s.env, rows));
    });

    it('exports every matching entry as CSV, beyond 1000 rows, newest first', async () => {
      const res = await s.api.get('/api/audit/export?resource=bulk', { cookie: admin });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.equal(res.headers.get('content-disposition'), 'attachment; filename="audit-log.csv"');
      const [header, ...rows] = parseCsv(res.text);
      assert.deepEqual(header, [...AUDIT_CSV_COLUMNS]);
      assert.equal(rows.length, 2500);
      assert.deepEqual(new Set(rows.map((r) => r[0])), bulk);
      for (let i = 1; i < rows.length; i++) {
        const [prev, cur] = [rows[i - 1]!, rows[i]!];
        assert.ok(prev[1]! > cur[1]! || (prev[1] === cur[1] && prev[0]! > cur[0]!), `row ${i} out of order`);
      }
    });

    it('exports the whole log with no filter, matching X-Total-Count, and records the export', async () => {
      const total = Number((await audit('?limit=1')).headers.get('x-total-count'));
      assert.ok(total > 2500);
      const res = await s.api.get('/api/audit/export', { cookie: admin });
      assert.equal(parseCsv(res.text).length - 1, total);
      const own = await audit('?action=audit.export&status=success&limit=1');
      assert.equal(own.body[0].username, 'admin');
      assert.deepEqual(own.body[0].changes, { format: 'csv', filters: {} });
    });

    it('exports JSON with parsed changes', async () => {
      const res = await s.api.get('/api/audit/export?resource=bulk&format=json', { cookie: admin });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-disposition'), 'attachment; filename="audit-log.json"');
      assert.match(res.headers.get('content-type')!, /^application\/json/);
      assert.equal(res.body.length, 2500);
      assert.deepEqual(new Set(res.body.map((e: any) => e.id)), bulk);
      const empty = await s.api.get('/api/audit/export?resource=nothing-here&format=json', { cookie: admin });
      assert.deepEqual(empty.body, []);
      const [id] = insertEntries(s.env, [{ resource: 'jsonfx', changes: '{"after":{"name":"x"}}' }]);
      const one = await s.api.get('/api/audit/export?resource=jsonfx&format=json', { cookie: admin });
      assert.deepEqual(one.body.map((e: any) => [e.id, e.changes]), [[id, { after: { name: 'x' } }]]);
    });

    it('guards cells against formula injection and quotes per RFC 4180', async () => {
      const [id] = insertEntries(s.env, [
        {
          action: 'fixture.formula',
          username: '=HYPERLINK("http://evil.example","x")',
          resourceId: '+SUM(1,2)',
          error: '@cmd\nsecond line',
          errorCode: '-1',
          requestId: '\tx',
        },
      ]);
      const res = await s.api.get('/api/audit/export?action=fixture.formula', { cookie: admin });
      assert.ok(res.text.includes(`"'=HYPERLINK(""http://evil.example"",""x"")"`), res.text);
      const [header, row] = parseCsv(res.text) as [string[], string[]];
      const cell = (name: string) => row[header.indexOf(name)];
      assert.equal(cell('id'), id);
      assert.equal(cell('username'), `'=HYPERLINK("http://evil.example","x")`);
      assert.equal(cell('resource_id'), "'+SUM(1,2)");
      assert.equal(cell('error'), "'@cmd\nsecond line");
      assert.equal(cell('error_code'), "'-1");
      assert.equal(cell('request_id'), "'\tx");
      // JSON is no spreadsheet: values come out as stored.
      const json = await s.api.get('/api/audit/export?action=fixture.formula&format=json', { cookie: admin });
      assert.equal(json.body[0].username, '=HYPERLINK("http://evil.example","x")');
    });
  });

  it('the retention job deletes only entries older than AUDIT_RETENTION_DAYS', async () => {
    const now = Date.now();
    const [oldId, newId_] = insertEntries(s.env, [
      { resource: 'retention', timestamp: new Date(now - 31 * DAY).toISOString() },
      { resource: 'retention', timestamp: new Date(now - 29 * DAY).toISOString() },
    ]);
    assert.equal((await s.api.get(`/api/audit/${oldId}`, { cookie: admin })).status, 200);
    await s.server.scheduler.runNow('audit-retention');
    assert.equal((await s.api.get(`/api/audit/${oldId}`, { cookie: admin })).status, 404);
    assert.equal((await s.api.get(`/api/audit/${newId_}`, { cookie: admin })).status, 200);
    assert.deepEqual((await audit('?resource=retention')).body.map((e: any) => e.id), [newId_]);
  });
});

describe('audit log with AUDIT_ENABLED=false', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ AUDIT_ENABLED: 'false' });
  });
  after(() => s.stop());

  it('records nothing', async () => {
    const admin = await s.api.login(ADMIN.username, ADMIN.password);
    const u = await createTestUser(s.env, ['viewer']);
    assert.equal((await s.api.post('/api/auth/login', { username: u.username, password: 'wrong-password-123' })).status, 401);
    assert.equal((await s.api.get('/api/audit', { token: u.key })).status, 403);
    const key = await s.api.post('/api/keys', { name: 'k' }, { cookie: admin });
    assert.equal((await s.api.delete(`/api/keys/${key.body.id}`, { cookie: admin })).status, 204);
    assert.equal((await s.api.post('/api/auth/logout', undefined, { cookie: admin })).status, 204);
    assert.equal(s.env.db.select({ n: count() }).from(auditLogs).get()!.n, 0);
  });
});
