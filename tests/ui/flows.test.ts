// End-to-end flows in headless Chromium against the real server: first-run setup with the token
// from the server log, sign-in/out and the 401 → /login → back round trip (same-origin only),
// device create/edit/delete with addresses and a field error, network + pool + allocate, a
// loopback scan followed to completion and a host promoted, an API key shown once, a webhook
// created with its secret shown once. Every page is watched for CSP violations and errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { rmSync } from 'node:fs';
import { createTestUser, spawnServer, startTestServer, tempDir, type TestServer, type TestUser } from '../helpers/server.ts';
import { assertAccessible, chromiumMissing, launch, openPage, settle, shot, signIn } from './browser.ts';

const skip = chromiumMissing();

describe('web UI flows', { skip }, () => {
  let s: TestServer;
  let browser: Browser;
  let admin: TestUser;

  before(async () => {
    s = await startTestServer({ SSRF_ALLOW_LOOPBACK_TARGETS: 'true', DISCOVERY_MAX_CONCURRENT: '32' });
    browser = await launch();
    admin = await createTestUser(s.env, ['admin'], 'flow-admin');
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('first-run setup: the token from the log creates the first administrator, then setup is closed', async () => {
    const dataDir = tempDir();
    const srv = await spawnServer({ DATA_DIR: dataDir, INITIAL_ADMIN_USERNAME: '', INITIAL_ADMIN_PASSWORD: '' });
    try {
      const token = /rackd_setup_[A-Za-z0-9_-]+/.exec(srv.output())?.[0];
      assert.ok(token, `setup token in the log:\n${srv.output()}`);
      const { page, problems, context } = await openPage(browser);
      await page.goto(`${srv.url}/devices`);
      await page.waitForSelector('#setup-token');
      assert.equal(new URL(page.url()).pathname, '/setup', 'every page leads to /setup while no user exists');
      await assertAccessible(page, 'setup');
      await shot(page, 'signed-out-1280-setup');
      await page.fill('#setup-token', 'rackd_setup_wrong');
      await page.fill('#setup-email', 'root@example.com');
      await page.fill('#setup-password', 'first-admin-password');
      await page.click('main button[type=submit]');
      await page.waitForSelector('.form-error');
      assert.match((await page.textContent('.form-error')) ?? '', /^FORBIDDEN: The setup token is wrong/);
      await page.fill('#setup-token', token);
      await page.click('main button[type=submit]');
      await page.waitForSelector('.sidebar');
      await settle(page);
      assert.equal(await page.textContent('main h1'), 'Dashboard');
      assert.match((await page.textContent('.user-menu')) ?? '', /admin/);
      const cookies = await context.cookies();
      assert.ok(cookies.find((c) => c.name === 'rackd_session')?.httpOnly, 'the session cookie is HttpOnly');
      const again = await fetch(`${srv.url}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, username: 'x', email: 'x@example.com', password: 'another-long-password' }) });
      assert.equal(again.status, 409, 'the token stops working once an admin exists');
      assert.deepEqual(problems, []);
      await context.close();
    } finally {
      await srv.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('sign-in, a 401 sends to /login and back to the same page, sign-out; next= never leaves the origin', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${s.url}/networks?name=x`);
    await page.waitForSelector('#login-username');
    assert.equal(new URL(page.url()).search, `?next=${encodeURIComponent('/networks?name=x')}`);
    await page.fill('#login-username', admin.username);
    await page.fill('#login-password', 'wrong-password-123');
    await page.click('main button[type=submit]');
    await page.waitForSelector('.form-error');
    assert.match((await page.textContent('.form-error')) ?? '', /^INVALID_CREDENTIALS: /);
    await page.fill('#login-password', admin.password);
    await page.click('main button[type=submit]');
    await page.waitForSelector('.sidebar');
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/networks?name=x');
    // The session ends on the server: the next API call answers 401 and the UI goes to sign-in, then back.
    const cookie = (await context.cookies()).find((c) => c.name === 'rackd_session')!;
    await s.api.post('/api/auth/logout', undefined, { cookie: `rackd_session=${cookie.value}` });
    await page.click('.sidebar a[href="/devices"]');
    await page.waitForSelector('#login-username');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/devices');
    await page.fill('#login-username', admin.username);
    await page.fill('#login-password', admin.password);
    await page.click('main button[type=submit]');
    await page.waitForSelector('main h1:has-text("Devices")');
    await page.click('.user-menu button');
    await page.waitForSelector('#login-username');
    // An outside next= is ignored.
    await page.goto(`${s.url}/login?next=${encodeURIComponent('//evil.example/x')}`);
    await page.fill('#login-username', admin.username);
    await page.fill('#login-password', admin.password);
    await page.click('main button[type=submit]');
    await page.waitForSelector('.sidebar');
    assert.equal(new URL(page.url()).origin, s.url);
    assert.equal(new URL(page.url()).pathname, '/');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('"/" focuses the search box from anywhere; results are grouped by kind and link to details', async () => {
    await s.api.post('/api/devices', { name: 'findme-01', hostname: 'findme-01.example.net' }, { token: admin.key });
    const { page, problems, context } = await openPage(browser);
    await signIn(page, s.url, admin.username, admin.password);
    await settle(page);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'global-search');
    await page.keyboard.type('findme');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.results-group h2:has-text("Devices")');
    await page.click('.results-group a:has-text("findme-01")');
    await page.waitForSelector('main h1:has-text("findme-01")');
    assert.match(new URL(page.url()).pathname, /^\/devices\/[0-9a-f-]+$/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('sign-in shows the rate limit with the time to wait', async () => {
    const limited = await startTestServer({ LOGIN_RATE_LIMIT_REQUESTS: '2' });
    try {
      const { page, problems, context } = await openPage(browser);
      await page.goto(`${limited.url}/login`);
      await page.waitForSelector('#login-username');
      for (let i = 0; i < 3; i++) {
        await page.fill('#login-username', 'nobody');
        await page.fill('#login-password', 'wrong-password-123');
        await page.click('main button[type=submit]');
        await page.waitForFunction((n) => document.querySelector('.form-error') && !document.querySelector('button[type=submit][disabled]') && n >= 0, i);
      }
      assert.match((await page.textContent('.form-error')) ?? '', /^LOGIN_RATE_LIMIT_EXCEEDED: .* Try again in \d+ s\.$/);
      assert.deepEqual(problems, []);
      await context.close();
    } finally {
      await limited.stop();
    }
  });

  it('device create (with an address and a field error), edit and delete', async () => {
    const { page, problems, context } = await openPage(browser);
    await signIn(page, s.url, admin.username, admin.password);
    await page.goto(`${s.url}/devices/new`);
    await settle(page);
    await page.fill('#dv-name', 'ui-dev-01');
    await page.fill('#dv-hostname', 'bad_host!');
    await page.click('text=Add address');
    await page.fill('#address-0-ip', '10.77.0.1');
    await page.click('text=Add address');
    await page.fill('#address-1-ip', 'not-an-ip');
    await page.click('main button[type=submit]');
    await page.waitForSelector('.form-error');
    assert.match((await page.textContent('#dv-hostname-err')) ?? '', /RFC 1123/, 'the hostname error is shown at its field');
    assert.match((await page.locator('.row-fields').nth(1).locator('.error').first().textContent()) ?? '', /valid IPv4 or IPv6/, 'the address error at its row');
    await page.fill('#dv-hostname', 'ui-dev-01');
    await page.fill('#address-1-ip', '10.77.0.2');
    await page.fill('#dv-tags', 'ui, test');
    await page.click('main button[type=submit]');
    await page.waitForSelector('main h1:has-text("ui-dev-01")');
    assert.match((await page.textContent('main')) ?? '', /10\.77\.0\.1[\s\S]*10\.77\.0\.2/);
    await shot(page, 'flow-device-detail');
    await page.click('a:has-text("Edit")');
    await page.waitForSelector('#dv-name');
    await page.waitForFunction(() => (document.querySelector('#dv-name') as HTMLInputElement).value === 'ui-dev-01');
    await page.fill('#dv-name', 'ui-dev-01b');
    await page.locator('.row-fields').nth(0).locator('button:has-text("Remove")').click();
    await page.click('main button[type=submit]');
    await page.waitForSelector('main h1:has-text("ui-dev-01b")');
    const text = (await page.textContent('main')) ?? '';
    assert.ok(!text.includes('10.77.0.1') && text.includes('10.77.0.2'), 'the removed address is gone');
    // Relationships: link to another device by name, then remove the link.
    await s.api.post('/api/devices', { name: 'ui-peer' }, { token: admin.key });
    await page.selectOption('#rel-type', 'depends_on');
    await page.fill('#rel-other', 'ui-peer');
    await page.click('button:has-text("Link")');
    await page.waitForSelector('li:has(a:text-is("ui-peer"))');
    assert.match((await page.textContent('li:has(a:text-is("ui-peer"))')) ?? '', /depends on →/);
    await page.click('li:has(a:text-is("ui-peer")) button:has-text("Remove")');
    await page.click('.dialog button:has-text("Remove")');
    await page.waitForSelector('li:has(a:text-is("ui-peer"))', { state: 'detached' });
    await page.click('main button:has-text("Delete")');
    await page.click('.dialog button:has-text("Delete")');
    await page.waitForSelector('main h1:has-text("Devices")');
    const left = await s.api.get('/api/devices?query=ui-dev-01b', { token: admin.key });
    assert.equal(left.body.length, 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('network, pool and allocating the next free IP', async () => {
    const { page, problems, context } = await openPage(browser);
    await signIn(page, s.url, admin.username, admin.password);
    await page.goto(`${s.url}/networks/new`);
    await settle(page);
    await page.fill('#field-name', 'ui-net');
    await page.fill('#field-subnet', '10.88.0.0/24');
    await page.fill('#field-vlan_id', '88');
    await page.click('main button[type=submit]');
    await page.waitForSelector('main h1:has-text("ui-net")');
    await page.click('a:has-text("Add pool")');
    await page.waitForSelector('#field-start_ip');
    await page.fill('#field-name', 'ui-pool');
    await page.fill('#field-start_ip', '10.88.0.10');
    await page.fill('#field-end_ip', '10.88.0.20');
    await page.click('main button[type=submit]');
    await page.waitForSelector('main h1:has-text("ui-pool")');
    await page.waitForSelector('code.next-ip');
    assert.equal(await page.textContent('code.next-ip'), '10.88.0.10');
    await page.fill('#al-host', 'ui-reserved');
    await page.fill('#al-days', '3');
    await page.click('button:has-text("Allocate")');
    await page.waitForSelector('td:has-text("ui-reserved")');
    await page.waitForFunction(() => document.querySelector('code.next-ip')?.textContent === '10.88.0.11');
    assert.equal(await page.locator('.heatmap .cell.reserved').count(), 1);
    await shot(page, 'flow-pool');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('a loopback scan followed to completion, then a host promoted', async () => {
    const net = await s.api.post('/api/networks', { name: 'ui-loop', subnet: '127.66.0.0/29' }, { token: admin.key });
    assert.equal(net.status, 201, net.text);
    const { page, problems, context } = await openPage(browser);
    await signIn(page, s.url, admin.username, admin.password);
    await page.goto(`${s.url}/discovery?network_id=${net.body.id}`);
    await settle(page);
    await page.waitForSelector(`#scan-net option[value="${net.body.id}"]`, { state: 'attached' });
    await page.selectOption('#scan-net', net.body.id);
    await page.click('button:has-text("Start scan")');
    await page.waitForSelector('main h1:has-text("Scan of")');
    await page.waitForSelector('.scan-status:has-text("completed")', { timeout: 30_000 });
    await page.waitForSelector('td:has-text("127.66.0.1")');
    assert.match((await page.textContent('main')) ?? '', /6 of 6 addresses probed, 6 hosts up/);
    assert.ok((await page.locator('.badge.warn:has-text("not in the inventory")').count()) >= 1, 'drift shows hosts missing from the inventory');
    await page.locator('tr:has(td:text-is("127.66.0.1")) button:has-text("Promote")').click();
    await page.fill('tr:has(td:text-is("127.66.0.1")) input', 'loop-host-1');
    await page.click('tr:has(td:text-is("127.66.0.1")) button:has-text("Create device")');
    await page.waitForSelector('tr:has(td:text-is("127.66.0.1")) a:has-text("Device")');
    const dev = await s.api.get('/api/devices?query=loop-host-1', { token: admin.key });
    assert.equal(dev.body[0]?.addresses[0]?.ip, '127.66.0.1');
    await shot(page, 'flow-scan');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('a running scan shows its progress and can be cancelled', async () => {
    const net = await s.api.post('/api/networks', { name: 'ui-big', subnet: '127.67.0.0/16' }, { token: admin.key });
    assert.equal(net.status, 201, net.text);
    const { page, problems, context } = await openPage(browser);
    await signIn(page, s.url, admin.username, admin.password);
    await page.goto(`${s.url}/discovery?network_id=${net.body.id}`);
    await settle(page);
    await page.waitForSelector(`#scan-net option[value="${net.body.id}"]`, { state: 'attached' });
    await page.selectOption('#scan-net', net.body.id);
    await page.selectOption('#scan-type', 'deep');
    await page.click('button:has-text("Start scan")');
    await page.waitForSelector('button:has-text("Cancel scan")');
    await page.click('button:has-text("Cancel scan")');
    await page.click('.dialog button:has-text("Cancel scan")');
    await page.waitForSelector('.scan-status:has-text("cancelled")', { timeout: 20_000 });
    assert.equal(await page.locator('button:has-text("Cancel scan")').count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('administration: create a user, grant a role, reset the password, deactivate; a custom role; the audit log filtered and exported', async () => {
    const { page, problems, context } = await openPage(browser);
    await signIn(page, s.url, admin.username, admin.password);
    await page.goto(`${s.url}/admin/users`);
    await settle(page);
    await page.click('button:has-text("Add user")');
    await page.fill('#nu-username', 'ui-made');
    await page.fill('#nu-email', 'not-an-email');
    await page.fill('#nu-password', 'ui-made-password-1');
    await page.click('button:has-text("Create user")');
    await page.waitForSelector('.field.invalid:has(#nu-email) .error');
    await page.fill('#nu-email', 'ui-made@example.com');
    await page.click('button:has-text("Create user")');
    await page.waitForSelector('a:text-is("ui-made")');
    await page.click('a:text-is("ui-made")');
    await page.waitForSelector('main h1:has-text("ui-made")');
    await page.waitForSelector('#us-grant option:text-is("viewer")', { state: 'attached' });
    await page.selectOption('#us-grant', { label: 'viewer' });
    await page.click('button:has-text("Grant")');
    await page.waitForSelector('li:has-text("viewer") button:has-text("Revoke")');
    await page.fill('#us-pw', 'ui-made-password-2');
    await page.click('button:has-text("Reset password")');
    await page.waitForSelector('.toast:has-text("Password reset")');
    await page.click('button:has-text("Deactivate")');
    await page.click('.dialog button:has-text("Deactivate")');
    await page.waitForSelector('button:has-text("Activate")');
    const users = await s.api.get('/api/users?username=ui-made', { token: admin.key });
    assert.equal(users.body[0].is_active, false);

    await page.goto(`${s.url}/admin/roles`);
    await settle(page);
    await page.click('button:has-text("Add role")');
    await page.fill('#nr-name', 'ui-auditors');
    await page.click('button:has-text("Create and choose permissions")');
    await page.waitForSelector('main h1:has-text("ui-auditors")');
    await page.check('#perm-audit-list');
    await page.check('#perm-audit-read');
    await page.click('main button:has-text("Save")');
    await page.waitForSelector('.toast:has-text("Role saved")');
    const roles = await s.api.get('/api/roles?name=ui-auditors', { token: admin.key });
    assert.deepEqual(roles.body[0].permissions.map((p: { name: string }) => p.name).sort(), ['audit:list', 'audit:read']);

    // The first, unfiltered page answers late, after the filtered one asked for later: the page
    // must show the filtered answer (the newest request), not whichever arrives last.
    const unfiltered = (u: URL) => u.pathname === '/api/audit' && !u.searchParams.has('action');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route(unfiltered, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${s.url}/admin/audit`);
    await page.fill('#au-action', 'role.create');
    await page.click('button:has-text("Filter")');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('action') === 'role.create');
    await page.waitForSelector('td code:text-is("role.create")');
    const late = page.waitForResponse((r) => unfiltered(new URL(r.url())));
    release();
    await late;
    await page.unroute(unfiltered);
    await settle(page);
    assert.equal(await page.locator('tbody tr').count(), 1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Export CSV")')]);
    assert.equal(download.suggestedFilename(), 'audit-log.csv');
    const csv = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8');
    assert.match(csv, /^id,timestamp,action/);
    assert.equal(csv.trim().split('\n').length, 2, 'the export holds the filtered entry only');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('an API key is shown once with a copy button; a webhook is created with its secret shown once', async () => {
    const { page, problems, context } = await openPage(browser);
    await signIn(page, s.url, admin.username, admin.password);
    await page.goto(`${s.url}/access/api-keys`);
    await settle(page);
    await page.fill('#key-name', 'ui-key');
    await page.click('button:has-text("Create key")');
    await page.waitForSelector('code.api-key-value');
    const key = (await page.textContent('code.api-key-value'))!;
    assert.match(key, /^rackd_/);
    assert.equal(await page.locator('.secret-once button:has-text("Copy")').count(), 1);
    const me = await fetch(`${s.url}/api/auth/me`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(me.status, 200, 'the key shown works');
    await page.click('button:has-text("I have saved it")');
    await page.reload();
    await settle(page);
    assert.ok(!((await page.textContent('main')) ?? '').includes(key), 'never shown again');

    // A read-only key for a service account: the administrator makes it for another user.
    const robot = await createTestUser(s.env, ['operator'], 'flow-robot');
    await page.reload();
    await settle(page);
    await page.fill('#key-name', 'robot-ro');
    await page.selectOption('#key-access', 'rackd:read');
    await page.waitForSelector('#key-owner option:text-is("flow-robot")', { state: 'attached' });
    await page.selectOption('#key-owner', { label: 'flow-robot' });
    await page.click('button:has-text("Create key")');
    await page.waitForSelector('code.api-key-value');
    const ro = (await page.textContent('code.api-key-value'))!;
    const roMe = await (await fetch(`${s.url}/api/auth/me`, { headers: { authorization: `Bearer ${ro}` } })).json();
    assert.equal(roMe.username, robot.username, 'the key acts as the user it was made for');
    const write = await fetch(`${s.url}/api/datacenters`, { method: 'POST', headers: { authorization: `Bearer ${ro}`, 'content-type': 'application/json' }, body: '{"name":"nope"}' });
    assert.equal(write.status, 403, 'a read-only key cannot write, though its owner (an operator) could');
    await page.click('button:has-text("I have saved it")');
    await page.waitForSelector('td:text-is("flow-robot")');
    assert.equal(await page.locator('tr:has-text("robot-ro") td:text-is("rackd:read")').count(), 1);

    await page.goto(`${s.url}/webhooks/new`);
    await settle(page);
    await page.fill('#field-name', 'ui-hook');
    await page.fill('#field-url', 'http://127.0.0.1:9/hook');
    await page.check('#event-device-created');
    await page.click('main button[type=submit]');
    await page.waitForSelector('.secret-once');
    assert.match((await page.textContent('.secret-once .value code')) ?? '', /^whsec_/);
    await page.click('button:has-text("Done")');
    await page.waitForSelector('main h1:has-text("ui-hook")');
    assert.ok(((await page.textContent('main')) ?? '').includes('device.created'));
    // Ping: the receiver does not answer, which the result and the delivery log say; then redeliver.
    await page.click('button:has-text("Ping a webhook")');
    await page.waitForSelector('main .notice[role=status]');
    assert.doesNotMatch((await page.textContent('main .notice[role=status]')) ?? '', /successfully/);
    await page.waitForSelector('section:has(h2:text-is("Deliveries of a webhook")) td:has-text("webhook.ping")');
    assert.match((await page.textContent('section:has(h2:text-is("Deliveries of a webhook")) tbody tr')) ?? '', /failed/);
    await page.click('section:has(h2:text-is("Deliveries of a webhook")) button:has-text("Redeliver")');
    await page.waitForSelector('.toast:has-text("Redeliver a webhook delivery: queued")');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
