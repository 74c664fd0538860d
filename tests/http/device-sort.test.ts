// device_list's sort (the web UI's sortable device table): by name (default), hostname, status,
// created_at or updated_at, "-" for descending, ties broken by name; unknown keys refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, startTestServer, type TestServer } from '../helpers/server.ts';

describe('GET /api/devices?sort=', () => {
  let s: TestServer;
  let token: string;
  before(async () => {
    s = await startTestServer();
    token = (await createTestUser(s.env, ['admin'])).key;
    for (const [name, hostname, status] of [['b-dev', 'zeta', 'active'], ['a-dev', 'mid', 'planned'], ['c-dev', 'alpha', 'active'], ['d-dev', 'mid', 'maintenance']]) {
      const r = await s.api.post('/api/devices', { name, hostname, status }, { token });
      assert.equal(r.status, 201, r.text);
    }
  });
  after(() => s.stop());

  const names = async (sort?: string) => {
    const r = await s.api.get(`/api/devices${sort ? `?sort=${encodeURIComponent(sort)}` : ''}`, { token });
    assert.equal(r.status, 200, r.text);
    return r.body.map((d: { name: string }) => d.name);
  };

  it('orders by the chosen key, descending with "-", ties by name', async () => {
    assert.deepEqual(await names(), ['a-dev', 'b-dev', 'c-dev', 'd-dev']);
    assert.deepEqual(await names('-name'), ['d-dev', 'c-dev', 'b-dev', 'a-dev']);
    assert.deepEqual(await names('hostname'), ['c-dev', 'a-dev', 'd-dev', 'b-dev']);
    assert.deepEqual(await names('-hostname'), ['b-dev', 'a-dev', 'd-dev', 'c-dev']);
    assert.deepEqual(await names('status'), ['b-dev', 'c-dev', 'd-dev', 'a-dev']);
    assert.deepEqual(await names('-created_at'), ['d-dev', 'c-dev', 'a-dev', 'b-dev']);
  });

  it('pages stay disjoint under a sort with ties', async () => {
    const first = await s.api.get('/api/devices?sort=hostname&limit=2', { token });
    const second = await s.api.get('/api/devices?sort=hostname&limit=2&offset=2', { token });
    assert.deepEqual([...first.body, ...second.body].map((d: { name: string }) => d.name), ['c-dev', 'a-dev', 'd-dev', 'b-dev']);
  });

  it('refuses an unknown key', async () => {
    const r = await s.api.get('/api/devices?sort=password', { token });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'VALIDATION_ERROR');
    assert.equal(r.body.details[0].field, 'sort');
  });
});
