// Device relationships over REST: create/upsert, self-links and unknown devices, listing from
// either end, related devices, notes updates, idempotent deletes, cascade on device delete.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

describe('device relationships over REST', () => {
  let s: TestServer;
  let admin: TestUser;
  let operator: TestUser;
  let viewer: TestUser;
  const ids: Record<string, string> = {};
  const as = (u: TestUser) => ({ token: u.key });
  const rel = (parent: string, child: string, type: string) => `/api/devices/${parent}/relationships/${child}/${type}`;

  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    operator = await createTestUser(s.env, ['operator']);
    viewer = await createTestUser(s.env, ['viewer']);
    for (const name of ['rack', 'srv-a', 'srv-b', 'db']) {
      ids[name] = (await s.api.post('/api/devices', { name }, as(admin))).body.id;
    }
  });
  after(() => s.stop());

  it('creates relationships, upserts notes, and refuses self-links, bad types and unknown devices', async () => {
    const r = await s.api.post(`/api/devices/${ids.rack}/relationships`, { child_id: ids['srv-a'], type: 'contains', notes: 'U10' }, as(operator));
    assert.equal(r.status, 201, r.text);
    assert.deepEqual({ ...r.body, created_at: undefined }, { parent_id: ids.rack, child_id: ids['srv-a'], type: 'contains', notes: 'U10', created_at: undefined });
    const again = await s.api.post(`/api/devices/${ids.rack}/relationships`, { child_id: ids['srv-a'], type: 'contains', notes: 'U12' }, as(operator));
    assert.equal(again.status, 201);
    assert.equal(again.body.notes, 'U12');
    assert.equal(again.body.created_at, r.body.created_at);
    await s.api.post(`/api/devices/${ids.rack}/relationships`, { child_id: ids['srv-b'], type: 'contains' }, as(operator));
    await s.api.post(`/api/devices/${ids['srv-a']}/relationships`, { child_id: ids.db, type: 'depends_on' }, as(operator));
    await s.api.post(`/api/devices/${ids['srv-a']}/relationships`, { child_id: ids['srv-b'], type: 'connected_to' }, as(operator));

    const self = await s.api.post(`/api/devices/${ids.db}/relationships`, { child_id: ids.db, type: 'depends_on' }, as(admin));
    assert.equal(self.status, 400);
    assert.equal(self.body.code, 'VALIDATION_ERROR');
    assert.equal(self.body.details[0].field, 'child_id');
    const badType = await s.api.post(`/api/devices/${ids.db}/relationships`, { child_id: ids.rack, type: 'owns' }, as(admin));
    assert.equal(badType.status, 400);
    assert.equal(badType.body.details[0].field, 'type');
    const noChild = await s.api.post(`/api/devices/${ids.db}/relationships`, { child_id: 'ghost', type: 'contains' }, as(admin));
    assert.equal(noChild.status, 404);
    assert.equal(noChild.body.details[0].field, 'child_id');
    const noParent = await s.api.post('/api/devices/ghost/relationships', { child_id: ids.db, type: 'contains' }, as(admin));
    assert.equal(noParent.status, 404);
    assert.equal(noParent.body.details[0].field, 'parent_id');
    const missing = await s.api.post(`/api/devices/${ids.db}/relationships`, { type: 'contains' }, as(admin));
    assert.equal(missing.status, 400);
    assert.equal((await s.api.post(`/api/devices/${ids.db}/relationships`, { child_id: ids.rack, type: 'contains' }, as(viewer))).status, 403);
  });

  it('lists relationships of a device from either end, all relationships, and related devices', async () => {
    const ofA = await s.api.get(`/api/devices/${ids['srv-a']}/relationships`, as(viewer));
    assert.equal(ofA.status, 200);
    assert.equal(ofA.headers.get('x-total-count'), '3');
    const kinds = ofA.body.map((r: { type: string }) => r.type).sort();
    assert.deepEqual(kinds, ['connected_to', 'contains', 'depends_on']);
    const onlyContains = await s.api.get(`/api/devices/${ids['srv-a']}/relationships?type=contains`, as(viewer));
    assert.equal(onlyContains.body.length, 1);
    assert.equal((await s.api.get('/api/devices/ghost/relationships', as(viewer))).status, 404);

    const all = await s.api.get('/api/relationships?limit=2', as(viewer));
    assert.equal(all.status, 200);
    assert.equal(all.body.length, 2);
    assert.equal(all.headers.get('x-total-count'), '4');
    const byType = await s.api.get('/api/relationships?type=depends_on', as(viewer));
    assert.deepEqual(byType.body.map((r: { child_id: string }) => r.child_id), [ids.db]);
    assert.equal((await s.api.get('/api/relationships?kind=x', as(viewer))).status, 400);

    const related = await s.api.get(`/api/devices/${ids['srv-a']}/related`, as(viewer));
    assert.deepEqual(related.body.map((d: { name: string }) => d.name), ['db', 'rack', 'srv-b']);
    const contained = await s.api.get(`/api/devices/${ids.rack}/related?type=contains`, as(viewer));
    assert.deepEqual(contained.body.map((d: { name: string }) => d.name), ['srv-a', 'srv-b']);
    assert.ok(Array.isArray(contained.body[0].addresses));
  });

  it('updates notes (404 when missing) and deletes idempotently', async () => {
    const patch = await s.api.patch(rel(ids.rack, ids['srv-b'], 'contains'), { notes: 'U20' }, as(operator));
    assert.equal(patch.status, 204, patch.text);
    const listed = await s.api.get(`/api/devices/${ids['srv-b']}/relationships?type=contains`, as(viewer));
    assert.equal(listed.body[0].notes, 'U20');
    const none = await s.api.patch(rel(ids.rack, ids.db, 'contains'), { notes: 'x' }, as(operator));
    assert.equal(none.status, 404);
    assert.equal((await s.api.patch(rel(ids.rack, ids['srv-b'], 'contains'), { notes: 'x', extra: 1 }, as(operator))).status, 400);

    assert.equal((await s.api.delete(rel(ids['srv-a'], ids['srv-b'], 'connected_to'), as(operator))).status, 403);
    assert.equal((await s.api.delete(rel(ids['srv-a'], ids['srv-b'], 'connected_to'), as(admin))).status, 204);
    assert.equal((await s.api.delete(rel(ids['srv-a'], ids['srv-b'], 'connected_to'), as(admin))).status, 204);
    const left = await s.api.get(`/api/devices/${ids['srv-a']}/relationships`, as(viewer));
    assert.equal(left.body.length, 2);
    const log = await s.api.get('/api/audit?action=relationship.update', as(admin));
    assert.ok(log.body.some((e: { status: string; changes: { after?: { notes: string } } }) => e.status === 'success' && e.changes?.after?.notes === 'U20'));
  });

  it('deleting a device removes its relationships', async () => {
    assert.equal((await s.api.delete(`/api/devices/${ids.rack}`, as(admin))).status, 204);
    const all = await s.api.get('/api/relationships', as(viewer));
    assert.ok(all.body.every((r: { parent_id: string; child_id: string }) => r.parent_id !== ids.rack && r.child_id !== ids.rack));
    assert.equal(all.body.length, 1);
  });
});
