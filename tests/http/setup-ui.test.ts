// First-run setup over HTTP (status, token checks, rate limit, 409 once done, a new token per
// start on the same DATA_DIR), GET /api/catalogue (authenticated, filtered by permission, ETag)
// and how the UI is served (shell on UI routes only, hashed immutable precompressed assets).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createTestUser, spawnServer, startTestServer, tempDir, type TestServer } from '../helpers/server.ts';

const TOKEN = /rackd_setup_[A-Za-z0-9_-]+/;

describe('first-run setup', () => {
  it('needs the logged token, creates one admin, then answers 409; each start prints a new token', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, INITIAL_ADMIN_USERNAME: '', INITIAL_ADMIN_PASSWORD: '', LOGIN_RATE_LIMIT_REQUESTS: '4' };
    const first = await spawnServer(env);
    const t1 = TOKEN.exec(first.output())![0];
    await first.stop();
    const srv = await spawnServer(env);
    try {
      const t2 = TOKEN.exec(srv.output())![0];
      assert.notEqual(t1, t2, 'a restarted server prints a new token');
      const post = (body: object) => fetch(`${srv.url}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.deepEqual(await (await fetch(`${srv.url}/api/setup`)).json(), { needed: true });
      const user = { username: 'root', email: 'root@example.com', password: 'a-long-root-password' };
      const wrong = await post({ ...user, token: 'rackd_setup_nope' });
      assert.equal(wrong.status, 403);
      assert.equal((await wrong.json()).code, 'FORBIDDEN');
      const weak = await post({ ...user, password: 'short', token: t2 });
      assert.equal(weak.status, 400, 'validation before anything is claimed');
      const ok = await post({ ...user, token: t1 });
      assert.equal(ok.status, 201, 'the earlier start\'s token still works (both are stored as hashes)');
      const body = await ok.json();
      assert.equal(body.user.username, 'root');
      assert.ok(body.user.roles.some((r: { name: string }) => r.name === 'admin'));
      assert.match(ok.headers.get('set-cookie') ?? '', /rackd_session=.*HttpOnly/i);
      assert.deepEqual(await (await fetch(`${srv.url}/api/setup`)).json(), { needed: false });
      const again = await post({ ...user, username: 'root2', token: t2 });
      assert.equal(again.status, 409, 'closed once an administrator exists');
      const limited = await post({ ...user, token: t2 });
      assert.equal(limited.status, 429, 'POST /api/setup shares the login rate limit');
    } finally {
      await srv.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('catalogue and UI serving', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  it('GET /api/catalogue needs credentials and lists only what the caller may use', async () => {
    assert.equal((await s.api.get('/api/catalogue')).status, 401);
    const admin = await createTestUser(s.env, ['admin']);
    const viewer = await createTestUser(s.env, ['viewer']);
    const a = await s.api.get('/api/catalogue', { token: admin.key });
    assert.equal(a.status, 200);
    const names = new Set(a.body.operations.map((o: { name: string }) => o.name));
    assert.ok(names.has('datacenter_save') && names.has('device_bulk_create'));
    const dc = a.body.resources.find((r: { name: string }) => r.name === 'datacenter');
    assert.deepEqual(dc.operations, { list: 'datacenter_list', get: 'datacenter_get', save: 'datacenter_save', delete: 'datacenter_delete' });
    assert.equal(dc.slug, 'datacenters');
    const save = a.body.operations.find((o: { name: string }) => o.name === 'datacenter_save');
    assert.equal(save.input.type, 'object');
    assert.ok(save.input.properties.name.description);
    const v = await s.api.get('/api/catalogue', { token: viewer.key });
    const vnames = new Set(v.body.operations.map((o: { name: string }) => o.name));
    assert.ok(vnames.has('datacenter_list') && !vnames.has('datacenter_save') && !vnames.has('device_delete'));
    const etag = v.headers.get('etag')!;
    const cached = await s.api.get('/api/catalogue', { token: viewer.key, headers: { 'if-none-match': etag } });
    assert.equal(cached.status, 304);
  });

  it('serves the shell on UI routes only, hashed assets immutable and compressed', async () => {
    for (const path of ['/', '/devices', '/devices/x/edit', '/datacenters', '/scan-profiles/new', '/admin/users', '/login']) {
      const res = await fetch(s.url + path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('cache-control'), 'no-cache', path);
      assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'; style-src 'self'/);
      const html = await res.text();
      assert.ok(!/<script(?![^>]*\bsrc=)/.test(html) && !/\sstyle=/.test(html) && !/\son[a-z]+=/.test(html), `${path}: no inline script, style or handler`);
    }
    for (const path of ['/nope', '/api/nope', '/mcp-oauth/nope', '/.well-known/nope', '/assets/ui/nope.js']) {
      assert.equal((await fetch(s.url + path)).status, path.startsWith('/api') ? 401 : 404, path);
    }
    const html = await (await fetch(`${s.url}/`)).text();
    const js = /src="(\/assets\/ui\/main-[A-Z0-9]+\.js)"/.exec(html)![1]!;
    const br = await fetch(s.url + js, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.equal(br.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const gz = await fetch(s.url + js, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal((await br.text()).length > 1000, true);
  });
});
