// Every page of the web UI in headless Chromium, for an admin, an operator and a viewer: it
// renders (a heading, no error banner) with zero CSP violations, zero uncaught errors and no
// serious or critical axe-core violation, at 1280 px and (admin: every page) 360 px, with
// screenshots in test-results/ui/. Names with markup are shown as text and run nothing; a viewer
// is offered no write control and a forced write shows the permission error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';
import { assertAccessible, chromiumMissing, launch, openPage, settle, shot, signIn } from './browser.ts';

const XSS = '<img src=x onerror=alert(1)>';
const skip = chromiumMissing();

describe('web UI pages', { skip }, () => {
  let s: TestServer;
  let browser: Browser;
  const users: Record<string, TestUser> = {};
  const ids: Record<string, string> = {};

  before(async () => {
    s = await startTestServer();
    browser = await launch();
    for (const role of ['admin', 'operator', 'viewer']) users[role] = await createTestUser(s.env, [role], `ui-${role}`);
    const token = users.admin!.key;
    const post = async (path: string, body: unknown) => {
      const r = await s.api.post(path, body, { token });
      assert.ok(r.status < 300, `${path}: ${r.text}`);
      return r.body;
    };
    ids.dc = (await post('/api/datacenters', { name: XSS, location: 'AMS' })).id;
    ids.net = (await post('/api/networks', { name: 'servers', subnet: '10.9.0.0/24', vlan_id: 90, datacenter_id: ids.dc })).id;
    ids.pool = (await post(`/api/networks/${ids.net}/pools`, { name: 'dhcp', start_ip: '10.9.0.100', end_ip: '10.9.0.199' })).id;
    ids.dev = (await post('/api/devices', { name: XSS, hostname: 'web01', datacenter_id: ids.dc, tags: [XSS, 'prod'], addresses: [{ ip: '10.9.0.5', label: 'mgmt' }, { ip: '10.9.0.120' }] })).id;
    await post('/api/devices', { name: 'db01', status: 'maintenance', addresses: [{ ip: '10.9.0.6' }] });
    await post(`/api/pools/${ids.pool}/allocate`, { hostname: 'reserved-host', expires_in_days: 7 });
    ids.role = (await s.api.get('/api/roles', { token })).body.find((r: { name: string }) => r.name === 'viewer').id;
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  /** Visits a page, checks it rendered cleanly and is accessible; returns the page's problems. */
  async function visit(page: Page, problems: string[], path: string, name: string, axe: boolean): Promise<void> {
    const before = problems.length;
    await page.goto(s.url + path);
    await settle(page);
    const banner = await page.locator('main .notice.error, main .form-error').allTextContents();
    assert.deepEqual(banner, [], `${name} ${path}: error banner`);
    if (axe) await assertAccessible(page, `${name} ${path}`);
    await shot(page, name);
    assert.deepEqual(problems.slice(before), [], `${name} ${path}: CSP violations or script errors`);
  }

  const pagesFor = (extra: string[]) => [
    '/',
    '/devices',
    `/devices/${ids.dev}`,
    '/networks',
    `/networks/${ids.net}`,
    `/pools/${ids.pool}`,
    '/search?q=web',
    '/discovery',
    `/datacenters/${ids.dc}`,
    '/account',
    ...extra,
  ];

  it('admin: every page, desktop and phone', async () => {
    for (const width of [1280, 360]) {
      const { page, problems, context } = await openPage(browser, width);
      page.on('dialog', (d) => void problems.push(`dialog ${d.message()}`));
      await signIn(page, s.url, users.admin!.username, users.admin!.password);
      const nav = await page.$$eval('.sidebar nav a', (as) => as.map((a) => a.getAttribute('href')!));
      assert.ok(nav.includes('/admin/users') && nav.includes('/webhooks') && nav.includes('/credentials'), `admin nav: ${nav}`);
      const paths = [...new Set([...nav, ...pagesFor([`/devices/${ids.dev}/edit`, '/devices/new', '/webhooks/new', '/credentials/new', '/scan-profiles/new', `/admin/roles/${ids.role}`, `/admin/users/${users.viewer!.id}`])])];
      for (const path of paths) {
        const name = `admin-${width}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '') || 'dashboard'}`.slice(0, 80);
        await visit(page, problems, path, name, true);
      }
      await context.close();
    }
  });

  it('shows names with markup as text on every page where they appear, and runs nothing', async () => {
    const { page, problems, context } = await openPage(browser);
    page.on('dialog', (d) => void problems.push(`dialog ${d.message()}`));
    await signIn(page, s.url, users.admin!.username, users.admin!.password);
    for (const path of ['/devices', `/devices/${ids.dev}`, `/networks/${ids.net}`, `/datacenters/${ids.dc}`, '/datacenters', `/search?q=img`]) {
      await page.goto(s.url + path);
      await settle(page);
      await page.waitForFunction((x) => document.querySelector('main')!.textContent!.includes(x), XSS);
      assert.equal(await page.locator('main img').count(), 0, `${path}: no <img> element was created`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('operator: the pages it may use, and no administration', async () => {
    const { page, problems, context } = await openPage(browser);
    await signIn(page, s.url, users.operator!.username, users.operator!.password);
    const nav = await page.$$eval('.sidebar nav a', (as) => as.map((a) => a.getAttribute('href')!));
    assert.ok(!nav.some((h) => h.startsWith('/admin/users')), `operator nav: ${nav}`);
    assert.ok(nav.includes('/devices') && nav.includes('/discovery'), `operator nav: ${nav}`);
    for (const path of [...new Set([...nav, ...pagesFor(['/devices/new'])])]) {
      await visit(page, problems, path, `operator-${path.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '') || 'dashboard'}`.slice(0, 80), true);
    }
    await page.goto(`${s.url}/devices`);
    await settle(page);
    assert.equal(await page.locator('a:has-text("Add device")').count(), 1, 'operators may create devices');
    await context.close();
  });

  it('viewer: reads everything it may, is offered no write control, and a forced write shows the permission error', async () => {
    const { page, problems, context } = await openPage(browser);
    await signIn(page, s.url, users.viewer!.username, users.viewer!.password);
    const nav = await page.$$eval('.sidebar nav a', (as) => as.map((a) => a.getAttribute('href')!));
    assert.ok(!nav.some((h) => h.startsWith('/admin/')), `viewer nav: ${nav}`);
    for (const path of [...new Set([...nav, ...pagesFor([])])]) {
      await visit(page, problems, path, `viewer-${path.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '') || 'dashboard'}`.slice(0, 80), true);
      const writes = await page.locator('main').locator('a:text-matches("^(Add|Edit|New)"), button:text-matches("^(Delete|Edit|Add|Allocate|Start scan|Promote|Release|Create)")').allTextContents();
      assert.deepEqual(writes, [], `viewer ${path}: write controls offered`);
      assert.equal(await page.locator('main input[type=checkbox]').count(), 0, `viewer ${path}: bulk selection offered`);
    }
    // Forced: the form is reachable by URL; the server refuses and the page says why.
    await page.goto(`${s.url}/devices/new`);
    await settle(page);
    await page.fill('#dv-name', 'viewer-made');
    await page.click('main button[type=submit]');
    await page.waitForSelector('.form-error');
    assert.match(await page.locator('.form-error').textContent() ?? '', /^FORBIDDEN: .*device:create/);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
