// Devices over REST against the real server: partial updates, stable address ids, status
// bookkeeping, validation codes, list filters and paging, pool claims, permissions and audit.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { devices } from '../../src/db/schema/index.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser, writerOf } from '../helpers/server.ts';

describe('devices over REST', () => {
  let s: TestServer;
  let admin: TestUser;
  let operator: TestUser;
  let viewer: TestUser;
  let dc: string;
  let net: string;
  let pool: string;
  const as = (u: TestUser) => ({ token: u.key });

  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    operator = await createTestUser(s.env, ['operator']);
    viewer = await createTestUser(s.env, ['viewer']);
    dc = (await s.api.post('/api/datacenters', { name: 'DC-Dev' }, as(admin))).body.id;
    const n = await s.api.post('/api/networks', { name: 'dev-net', subnet: '10.20.0.0/24' }, as(admin));
    assert.equal(n.status, 201, n.text);
    net = n.body.id;
    const p = await s.api.post(`/api/networks/${net}/pools`, { name: 'dev-pool', start_ip: '10.20.0.10', end_ip: '10.20.0.19' }, as(admin));
    assert.equal(p.status, 201, p.text);
    pool = p.body.id;
  });
  after(() => s.stop());

  const nextIp = async () => (await s.api.get(`/api/pools/${pool}/next-ip`, as(admin))).body.ip as string;

  it('creates a device with defaults, normalized addresses, merged tags and status bookkeeping', async () => {
    const r = await s.api.post(
      '/api/devices',
      {
        name: 'db01',
        hostname: 'db01.example.com',
        datacenter_id: dc,
        tags: ['prod', 'db', 'prod'],
        domains: ['db01.example.com', 'db01.example.com'],
        addresses: [{ ip: '2001:DB8:0:0::0005', port: 5432 }, { ip: '192.0.2.7', label: 'mgmt' }],
      },
      as(operator),
    );
    assert.equal(r.status, 201, r.text);
    const d = r.body;
    assert.equal(d.status, 'active');
    assert.equal(d.status_changed_by, operator.id);
    assert.equal(d.status_changed_at, d.created_at);
    assert.deepEqual(d.tags, ['db', 'prod']);
    assert.deepEqual(d.domains, ['db01.example.com']);
    assert.equal(d.addresses[0].ip, '2001:db8::5');
    assert.equal(d.addresses[0].type, 'ipv6');
    assert.equal(d.addresses[0].port, 5432);
    assert.equal(d.addresses[1].type, 'ipv4');
    assert.equal(d.addresses[1].network_id, null);
    const got = await s.api.get(`/api/devices/${d.id}`, as(viewer));
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, d);
  });

  it('a partial PUT keeps every field it did not send; address ids survive updates', async () => {
    const created = (
      await s.api.post(
        '/api/devices',
        { name: 'app01', hostname: 'app01', os: 'Debian', tags: ['web'], addresses: [{ ip: '198.51.100.1', port: 443, label: 'svc' }, { ip: '198.51.100.2' }] },
        as(admin),
      )
    ).body;
    const [a1, a2] = created.addresses;
    const u = await s.api.put(`/api/devices/${created.id}`, { description: 'only this' }, as(operator));
    assert.equal(u.status, 200, u.text);
    assert.equal(u.body.description, 'only this');
    for (const f of ['name', 'hostname', 'os', 'tags', 'addresses', 'status', 'status_changed_at', 'created_at'] as const) {
      assert.deepEqual(u.body[f], created[f], f);
    }
    // Keep a1 by id (changing only its label: port stays), drop a2, add a new one.
    const u2 = await s.api.put(`/api/devices/${created.id}`, { addresses: [{ id: a1.id, ip: '198.51.100.1', label: 'renamed' }, { ip: '198.51.100.3' }] }, as(admin));
    assert.equal(u2.status, 200, u2.text);
    const [b1, b2] = u2.body.addresses;
    assert.equal(b1.id, a1.id);
    assert.equal(b1.label, 'renamed');
    assert.equal(b1.port, 443);
    assert.notEqual(b2.id, a2.id);
    assert.equal(b2.ip, '198.51.100.3');
    assert.equal(u2.body.addresses.length, 2);
    assert.deepEqual(u2.body.tags, ['web']);
    // An id that is not one of this device's addresses is refused by name.
    const bad = await s.api.put(`/api/devices/${created.id}`, { addresses: [{ id: a2.id, ip: '198.51.100.2' }] }, as(admin));
    assert.equal(bad.status, 400);
    assert.equal(bad.body.details[0].field, 'addresses[0].id');
    // Sending lists replaces them; an empty list clears.
    const cleared = await s.api.put(`/api/devices/${created.id}`, { tags: [], hostname: '' }, as(admin));
    assert.deepEqual(cleared.body.tags, []);
    assert.equal(cleared.body.hostname, '');
    assert.equal(cleared.body.addresses.length, 2);
  });

  it('records who changed the status and when, only when it changes', async () => {
    const d = (await s.api.post('/api/devices', { name: 'lifecycle', status: 'planned' }, as(admin))).body;
    assert.equal(d.status_changed_by, admin.id);
    await new Promise((r) => setTimeout(r, 5));
    const m = (await s.api.put(`/api/devices/${d.id}`, { status: 'maintenance' }, as(operator))).body;
    assert.equal(m.status, 'maintenance');
    assert.equal(m.status_changed_by, operator.id);
    assert.ok(m.status_changed_at > d.status_changed_at);
    const same = (await s.api.put(`/api/devices/${d.id}`, { status: 'maintenance', location: 'R1' }, as(admin))).body;
    assert.equal(same.status_changed_by, operator.id);
    assert.equal(same.status_changed_at, m.status_changed_at);
    const dec = (await s.api.put(`/api/devices/${d.id}`, { status: 'decommissioned', decommission_date: '2026-03-01T10:00:00+02:00' }, as(admin))).body;
    assert.equal(dec.decommission_date, '2026-03-01T08:00:00.000Z');
    const counts = await s.api.get('/api/devices/status-counts', as(viewer));
    assert.equal(counts.status, 200);
    assert.deepEqual(Object.keys(counts.body).sort(), ['active', 'decommissioned', 'maintenance', 'planned']);
    assert.ok(counts.body.decommissioned >= 1);
  });

  it('validates every field with VALIDATION_ERROR naming it, and unknown references with NOT_FOUND', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x', hostname: 'bad_host!' }, 'hostname'],
      [{ name: 'x', hostname: `${'a'.repeat(64)}.example.com` }, 'hostname'],
      [{ name: 'x', tags: ['ok', ' '] }, 'tags.1'],
      [{ name: 'x', tags: ['t'.repeat(129)] }, 'tags.0'],
      [{ name: 'x', domains: ['-bad.example.com'] }, 'domains.0'],
      [{ name: 'x', status: 'retired' }, 'status'],
      [{ name: 'x', decommission_date: '2026-03-01' }, 'decommission_date'],
      [{ name: 'x', addresses: [{ ip: '10.0.0.256' }] }, 'addresses.0.ip'],
      [{ name: 'x', addresses: [{ ip: 'fe80::1%eth0' }] }, 'addresses.0.ip'],
      [{ name: 'x', addresses: [{ ip: '10.0.0.1', port: 0 }] }, 'addresses.0.port'],
      [{ name: 'x', addresses: [{ ip: '10.0.0.1', port: 65536 }] }, 'addresses.0.port'],
      [{ name: 'x', addresses: [{ ip: '10.0.0.1', label: 'l'.repeat(129) }] }, 'addresses.0.label'],
      [{ name: 'x', colour: 'red' }, 'colour'],
      [{ name: 'x', id: 'abc' }, 'id'],
    ];
    for (const [body, field] of cases) {
      const r = await s.api.post('/api/devices', body, as(admin));
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.text}`);
      assert.equal(r.body.code, 'VALIDATION_ERROR');
      assert.ok(r.body.details.some((d: { field: string }) => d.field === field), `${field} in ${r.text}`);
    }
    const dcMissing = await s.api.post('/api/devices', { name: 'x', datacenter_id: 'no-such-dc' }, as(admin));
    assert.equal(dcMissing.status, 404);
    assert.equal(dcMissing.body.code, 'NOT_FOUND');
    assert.match(dcMissing.body.error, /no-such-dc/);
    assert.equal((await s.api.put('/api/devices/nope', { name: 'x' }, as(admin))).status, 404);
    assert.equal((await s.api.get('/api/devices/nope', as(admin))).status, 404);
  });

  it('links addresses to their pool, refuses duplicates with 409 and frees them on removal and delete', async () => {
    const free = await nextIp();
    const a = await s.api.post('/api/devices', { name: 'pool-user', addresses: [{ ip: free }] }, as(admin));
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.addresses[0].pool_id, pool);
    assert.equal(a.body.addresses[0].network_id, net);
    assert.notEqual(await nextIp(), free);
    const dup = await s.api.post('/api/devices', { name: 'dup', addresses: [{ ip: free }] }, as(admin));
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, 'IP_NOT_AVAILABLE');
    assert.equal(dup.body.details[0].field, 'addresses[0].ip');
    const twice = await s.api.post('/api/devices', { name: 'dup2', addresses: [{ ip: '10.20.0.15' }, { ip: '10.20.0.15' }] }, as(admin));
    assert.equal(twice.status, 409);
    const outside = await s.api.post('/api/devices', { name: 'out', addresses: [{ ip: '10.20.0.100', pool_id: pool }] }, as(admin));
    assert.equal(outside.status, 400);
    assert.equal(outside.body.details[0].field, 'addresses[0].pool_id');
    const unknownPool = await s.api.post('/api/devices', { name: 'out', addresses: [{ ip: '10.20.0.11', pool_id: 'no-pool' }] }, as(admin));
    assert.equal(unknownPool.status, 404);
    // Outside the pool but inside the network: network set, no pool.
    const inNet = (await s.api.post('/api/devices', { name: 'in-net', addresses: [{ ip: '10.20.0.200' }] }, as(admin))).body;
    assert.equal(inNet.addresses[0].network_id, net);
    assert.equal(inNet.addresses[0].pool_id, null);
    // Moving the address to another IP releases the old one.
    const moved = await s.api.put(`/api/devices/${a.body.id}`, { addresses: [{ id: a.body.addresses[0].id, ip: '10.20.0.18' }] }, as(admin));
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.addresses[0].id, a.body.addresses[0].id);
    assert.equal(await nextIp(), free);
    // A failed update writes nothing: the claim stays where it was.
    const blocked = (await s.api.post('/api/devices', { name: 'blocker', addresses: [{ ip: '10.20.0.17' }] }, as(admin))).body;
    const clash = await s.api.put(`/api/devices/${a.body.id}`, { name: 'renamed', addresses: [{ ip: '10.20.0.17' }] }, as(admin));
    assert.equal(clash.status, 409);
    const still = (await s.api.get(`/api/devices/${a.body.id}`, as(admin))).body;
    assert.equal(still.name, 'pool-user');
    assert.equal(still.addresses[0].ip, '10.20.0.18');
    // Deleting the devices frees their addresses.
    assert.equal((await s.api.delete(`/api/devices/${blocked.id}`, as(admin))).status, 204);
    const again = await s.api.post('/api/devices', { name: 'reuse', addresses: [{ ip: '10.20.0.17' }] }, as(admin));
    assert.equal(again.status, 201, again.text);
    assert.equal((await s.api.delete(`/api/devices/${a.body.id}`, as(admin))).status, 204);
    assert.equal((await s.api.get(`/api/devices/${a.body.id}`, as(admin))).status, 404);
    const heat = await s.api.get(`/api/pools/${pool}/heatmap`, as(admin));
    const used = heat.body.filter((e: { status: string }) => e.status !== 'available').map((e: { ip: string }) => e.ip);
    assert.deepEqual(used, ['10.20.0.17']);
  });

  it('filters, sorts by name and pages the list; unknown filters are refused by name', async () => {
    const mk = (body: Record<string, unknown>) => s.api.post('/api/devices', body, as(admin)).then((r) => r.body);
    const x1 = await mk({ name: 'zz-filter-1', tags: ['blue', 'round'], datacenter_id: dc, make_model: 'Quasar 9000' });
    const x2 = await mk({ name: 'zz-filter-2', tags: ['blue'], status: 'maintenance' });
    await mk({ name: 'zz-filter-3', tags: ['round'], addresses: [{ ip: '10.20.0.201' }] });
    const names = async (q: string) => {
      const r = await s.api.get(`/api/devices?${q}`, as(viewer));
      assert.equal(r.status, 200, r.text);
      assert.ok(Array.isArray(r.body));
      return r.body.map((d: { name: string }) => d.name).filter((n: string) => n.startsWith('zz-filter'));
    };
    assert.deepEqual(await names('tags=blue'), ['zz-filter-1', 'zz-filter-2']);
    assert.deepEqual(await names('tags=blue&tags=round'), ['zz-filter-1']);
    assert.deepEqual(await names(`datacenter_id=${dc}`), ['zz-filter-1']);
    assert.deepEqual(await names('status=maintenance'), ['zz-filter-2']);
    assert.deepEqual(await names(`network_id=${net}&tags=round`), ['zz-filter-3']);
    assert.deepEqual(await names('query=quasar'), ['zz-filter-1']);
    assert.deepEqual(await names('query=10.20.0.201'), ['zz-filter-3']);
    // Stale: active and not updated for N days.
    writerOf(s.env).update(devices).set({ updatedAt: '2020-01-01T00:00:00.000Z' }).where(eq(devices.id, x1.id)).run();
    writerOf(s.env).update(devices).set({ updatedAt: '2020-01-01T00:00:00.000Z' }).where(eq(devices.id, x2.id)).run();
    assert.deepEqual(await names('stale=true'), ['zz-filter-1']);
    assert.deepEqual(await names('stale_days=3650'), []);
    assert.deepEqual(await names('stale=false&tags=blue'), ['zz-filter-1', 'zz-filter-2']);
    // Scoped lists.
    const inDc = await s.api.get(`/api/datacenters/${dc}/devices`, as(viewer));
    assert.equal(inDc.status, 200);
    assert.ok(inDc.body.some((d: { id: string }) => d.id === x1.id));
    assert.equal((await s.api.get('/api/datacenters/none/devices', as(viewer))).status, 404);
    const inNet = await s.api.get(`/api/networks/${net}/devices`, as(viewer));
    assert.ok(inNet.body.every((d: { addresses: { network_id: string }[] }) => d.addresses.some((a) => a.network_id === net)));
    assert.equal((await s.api.get('/api/networks/none/devices', as(viewer))).status, 404);
    // Paging: limit/offset/cursor with X-Total-Count, sorted by name.
    const all = await s.api.get('/api/devices?limit=1000', as(viewer));
    const total = Number(all.headers.get('x-total-count'));
    assert.equal(total, all.body.length);
    const sorted = [...all.body].map((d: { name: string }) => d.name);
    assert.deepEqual(sorted, [...sorted].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const p2 = await s.api.get('/api/devices?limit=2&offset=2', as(viewer));
    assert.deepEqual(p2.body.map((d: { id: string }) => d.id), all.body.slice(2, 4).map((d: { id: string }) => d.id));
    assert.equal(Number(p2.headers.get('x-total-count')), total);
    for (const q of ['bogus=1', 'limit=1001', 'status=gone', 'stale=maybe', 'offset=-1']) {
      const r = await s.api.get(`/api/devices?${q}`, as(viewer));
      assert.equal(r.status, 400, q);
      assert.equal(r.body.details[0].field, q.split('=')[0]);
    }
  });

  it('refuses writes to a viewer and an operator delete, and audits writes with before/after', async () => {
    assert.equal((await s.api.post('/api/devices', { name: 'nope' }, as(viewer))).status, 403);
    const d = (await s.api.post('/api/devices', { name: 'audited', description: 'v1' }, as(admin))).body;
    assert.equal((await s.api.put(`/api/devices/${d.id}`, { description: 'v2' }, as(viewer))).status, 403);
    assert.equal((await s.api.delete(`/api/devices/${d.id}`, as(operator))).status, 403);
    assert.equal((await s.api.put(`/api/devices/${d.id}`, { description: 'v2' }, as(operator))).status, 200);
    const log = await s.api.get(`/api/audit?action=device.update&resource_id=${d.id}`, as(admin));
    assert.equal(log.status, 200);
    const entry = log.body.find((e: { status: string }) => e.status === 'success');
    assert.equal(entry.changes.before.description, 'v1');
    assert.equal(entry.changes.after.description, 'v2');
    assert.equal(entry.user_id, operator.id);
    const denied = await s.api.get(`/api/audit?action=device.update&status=failure&resource_id=${d.id}`, as(admin));
    assert.equal(denied.body[0].error_code, 'FORBIDDEN');
  });
});
