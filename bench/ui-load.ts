// ui-load: the web UI in headless Chromium on the shared 100,000-device inventory. Reports the
// JavaScript + CSS a first load transfers (compressed, from the browser's resource timings), and
// the time from navigation to the device list being shown (first page of 50 rows rendered) divided
// by the time of the same API call alone (GET /api/devices?limit=50 fetched in the same page): the
// ratio is the in-app navigation (a click on "Devices"), the full page load is reported beside it.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { fmt, medianOf, ms, type Benchmark } from './lib/bench.ts';
import { sharedInventory } from './lib/inventory.ts';
import { ADMIN } from './lib/server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TARGET = 3;

export const uiLoad: Benchmark = {
  name: 'ui-load',
  async run(settings) {
    if (!existsSync(CHROMIUM)) throw new Error(`ui-load needs Chromium at ${CHROMIUM} (apt-get install chromium)`);
    const inv = await sharedInventory(settings);
    inv.usedBy.push('ui-load');
    const url = inv.server.url;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-sync'] });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const login = await context.request.post(`${url}/api/auth/login`, { data: ADMIN });
      if (login.status() !== 200) throw new Error(`login: ${login.status()}`);
      const page = await context.newPage();
      // First load with an empty cache: what JS and CSS cost on the wire.
      await page.goto(`${url}/devices`);
      await page.waitForSelector('table.list tbody tr:nth-child(50)');
      const first = await page.evaluate(() =>
        performance.getEntriesByType('resource').map((e) => ({ name: e.name, bytes: (e as PerformanceResourceTiming).transferSize, body: (e as PerformanceResourceTiming).decodedBodySize })),
      );
      const assets = first.filter((r) => /\/assets\/ui\/.*\.(js|css)$/.test(r.name));
      const wire = assets.reduce((n, r) => n + r.bytes, 0);
      const decoded = assets.reduce((n, r) => n + r.body, 0);
      const shown = async () => {
        // A full navigation with warm caches (the hashed assets are immutable), to the 50 rows shown.
        const t0 = Date.now();
        await page.goto(`${url}/devices`);
        await page.waitForSelector('table.list tbody tr:nth-child(50)');
        return Date.now() - t0;
      };
      const apiAlone = () => page.evaluate(async () => {
        const t0 = performance.now();
        const r = await fetch('/api/devices?limit=50', { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
        await r.json();
        return performance.now() - t0;
      });
      // In the running app: from the account page, a click on "Devices" until the 50th row is in the DOM.
      const clicked = async () => {
        await page.goto(`${url}/account`);
        await page.waitForSelector('main h1');
        await page.waitForLoadState('networkidle');
        return page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const t0 = performance.now();
              const obs = new MutationObserver(() => {
                if (document.querySelectorAll('table.list tbody tr').length >= 50) {
                  obs.disconnect();
                  resolve(performance.now() - t0);
                }
              });
              obs.observe(document.body, { childList: true, subtree: true });
              document.querySelector<HTMLAnchorElement>('.sidebar a[href="/devices"]')!.click();
            }),
        );
      };
      for (let i = 0; i < 2; i++) {
        await shown();
        await clicked();
      }
      const a: number[] = [];
      const b: number[] = [];
      const c: number[] = [];
      for (let i = 1; i <= settings.rounds; i++) {
        const rounds = 5;
        let api = 0;
        let nav = 0;
        let full = 0;
        for (let k = 0; k < rounds; k++) api += await apiAlone();
        for (let k = 0; k < rounds; k++) nav += await clicked();
        for (let k = 0; k < rounds; k++) full += await shown();
        a.push(api / rounds);
        b.push(nav / rounds);
        c.push(full / rounds);
        settings.log(`  round ${i}/${settings.rounds}: API alone ${ms(api / rounds)}, in-app navigation to list shown ${ms(nav / rounds)}, full page load ${ms(full / rounds)}`);
      }
      const apiMs = medianOf(a, (x) => x);
      const navMs = medianOf(b, (x) => x);
      const fullMs = medianOf(c, (x) => x);
      const ratio = navMs / apiMs;
      return {
        description:
          `Headless Chromium on the shared ${fmt(inv.ids.length)}-device inventory, signed in as admin. First load of /devices with an empty cache: ` +
          'JS + CSS bytes transferred (PerformanceResourceTiming.transferSize, brotli). Then, per round, 5 × `GET /api/devices?limit=50` fetched in the page ' +
          '(baseline), 5 × a click on "Devices" in the running app (from /account) until the 50th row is in the DOM (candidate: the list request and its rendering), ' +
          'and 5 × a full page load of /devices to the same point (HTML shell, cached immutable assets, /api/setup, /api/auth/me, /api/catalogue, the list), reported beside it; ' +
          'ratio = median in-app navigation ÷ median API call.',
        target: `ratio ≤ ${TARGET}`,
        ratio,
        pass: ratio <= TARGET,
        table: {
          header: ['measure', 'value'],
          rows: [
            ['first load JS + CSS transferred (compressed)', `${fmt(wire / 1024, 1)} KiB (${fmt(decoded / 1024, 1)} KiB decoded)`],
            ['GET /api/devices?limit=50 alone (median)', ms(apiMs)],
            ['in-app navigation → device list shown (median)', ms(navMs)],
            ['full page load → device list shown (median)', `${ms(fullMs)} (${fmt(fullMs / apiMs, 1)}× the API call)`],
          ],
        },
        notes: [`assets: ${assets.map((r) => `${r.name.split('/').pop()} ${fmt(r.bytes / 1024, 1)} KiB`).join(', ')}`],
      };
    } finally {
      await browser.close();
    }
  },
};
