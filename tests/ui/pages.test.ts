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
    const nets = [
      ['storage', '10.20.0.0/26', 20, 40],
      ['management', '192.168.50.0/27', 50, 26],
      ['edge', '203.0.113.0/28', 113, 6],
    ] as const;
    for (const [name, subnet, vlan, used] of nets) {
      await post('/api/networks', { name, subnet, vlan_id: vlan, datacenter_id: ids.dc });
      const base = subnet.split('/')[0]!.split('.').slice(0, 3).join('.');
      const start = Number(subnet.split('/')[0]!.split('.')[3]);
      const devices = Array.from({ length: Math.ceil(used / 4) }, (_, i) => ({
        name: `${name}-${String(i + 1).padStart(2, '0')}`,
        status: i % 7 === 3 ? 'planned' : i % 11 === 5 ? 'decommissioned' : 'active',
        tags: [name, 'ams'],
        addresses: Array.from({ length: 4 }, (_, k) => ({ ip: `${base}.${start + 1 + i * 4 + k}` })).filter((a) => Number(a.ip.split('.')[3]) < start + 1 + used),
      }));
      await post('/api/devices/bulk', devices);
    }
    await post(`/api/pools/${ids.pool}/allocate`, { hostname: 'reserved-host', expires_in_days: 7 });
    ids.role = (await s.api.get('/api/roles', { token })).body.find((r: { name: string }) => r.name === 'viewer').id;
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  /** A screenshot name for a path, with record ids replaced by what they are. */
  const nameOf = (prefix: string, path: string): string => {
    let p = path;
    for (const [k, v] of Object.entries(ids)) p = p.split(v).join(k);
    for (const [k, u] of Object.entries(users)) p = p.split(u.id).join(`user-${k}`);
    return `${prefix}-${p.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'dashboard'}`.slice(0, 80);
  };

  /** Visits a page, checks it rendered cleanly and is accessible; returns the page's problems. */
  async function visit(page: Page, problems: string[], path: string, name: string, axe: boolean): Promise<void> {
    const before = problems.length;
    await page.goto(s.url + path);
    await settle(page);
    const banner = await page.locator('main .notice.error, main .form-error').allTextContents();
    assert.deepEqual(banner, [], `${name} ${path}: error banner`);
    if (axe) await assertAccessible(page, `${name} ${path}`);
    await shot(page, name);
    // Nothing may push the page sideways on a phone: long help texts and names wrap.
    const overflow = await page.evaluate(() => {
      const over = document.documentElement.scrollWidth - window.innerWidth;
      // The outermost elements that reach past the right edge, so a failure names its cause.
      const culprits = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((el, _, all) => !all.includes(el.parentElement!))
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
      return { over, culprits };
    });
    assert.ok(overflow.over <= 0, `${name} ${path}: ${overflow.over}px wider than the viewport (${overflow.culprits.join(', ')})`);
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
      await page.goto(`${s.url}/login`);
      await page.waitForSelector('#login-username');
      await assertAccessible(page, `login ${width}`);
      await shot(page, `signed-out-${width}-login`);
      await signIn(page, s.url, users.admin!.username, users.admin!.password);
      const nav = await page.$$eval('.sidebar nav a', (as) => as.map((a) => a.getAttribute('href')!));
      assert.ok(nav.includes('/admin/users') && nav.includes('/webhooks') && nav.includes('/credentials'), `admin nav: ${nav}`);
      const paths = [...new Set([...nav, ...pagesFor([`/devices/${ids.dev}/edit`, '/devices/new', '/webhooks/new', '/credentials/new', '/scan-profiles/new', `/admin/roles/${ids.role}`, `/admin/users/${users.viewer!.id}`])])];
      for (const path of paths) {
        await visit(page, problems, path, nameOf(`admin-${width}`, path), true);
      }
      await page.goto(`${s.url}/devices/x/y/z`);
      await page.waitForSelector('main h1:has-text("Page not found")');
      await assertAccessible(page, `not found ${width}`);
      await shot(page, `admin-${width}-not-found`);
      assert.deepEqual(problems, []);
      await context.close();
    }
    // Dark mode follows the system setting.
    const dark = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    const dp = await dark.newPage();
    await signIn(dp, s.url, users.admin!.username, users.admin!.password);
    await settle(dp);
    assert.equal(await dp.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(15, 20, 27)');
    await shot(dp, 'admin-1280-dark-dashboard');
    await dp.goto(`${s.url}/devices`);
    await settle(dp);
    await shot(dp, 'admin-1280-dark-devices');
    await dark.close();
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
      await visit(page, problems, path, nameOf('operator', path), true);
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
    assert.ok(nav.includes('/access/api-keys'), `viewer nav: ${nav}: a viewer manages its own keys`);
    for (const path of [...new Set([...nav, ...pagesFor([])])]) {
      await visit(page, problems, path, nameOf('viewer', path), true);
      // Its own keys and agent clients are the viewer's to make (read-only ones, docs/security.md).
      if (path.startsWith('/access/')) continue;
      const writes = await page.locator('main').locator('a:text-matches("^(Add|Edit|New)"), button:text-matches("^(Delete|Edit|Add|Allocate|Start scan|Promote|Release|Create|Link|Remove|Revoke|Grant)")').allTextContents();
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
