import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, createTestUser, sessionCookie, startTestServer, type TestServer } from '../helpers/server.ts';

describe('authentication', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  it('rejects /api requests without credentials with 401 UNAUTHORIZED', async () => {
    const res = await s.api.get('/api/auth/me');
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'Unauthorized', code: 'UNAUTHORIZED' });
  });

  it('logs in with a session cookie that is HttpOnly and SameSite=Lax', async () => {
    const res = await s.api.post('/api/auth/login', ADMIN);
    assert.equal(res.status, 200);
    const raw = res.headers.getSetCookie().find((c) => c.startsWith('rackd_session='))!;
    assert.match(raw, /HttpOnly/);
    assert.match(raw, /SameSite=Lax/);
    assert.match(raw, /Secure/);
    const me = await s.api.get('/api/auth/me', { cookie: sessionCookie(res.headers) });
    assert.equal(me.status, 200);
    assert.equal(me.body.username, 'admin');
    assert.ok(me.body.permissions.includes('user:create'));
  });

  it('authenticates API keys as their owner', async () => {
    const u = await createTestUser(s.env, ['viewer']);
    const me = await s.api.get('/api/auth/me', { token: u.key });
    assert.equal(me.status, 200);
    assert.equal(me.body.username, u.username);
    assert.ok(!me.body.permissions.includes('device:create'));
  });
});
