// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) for the web UI tests:
// one browser per test file; every page records CSP violations and uncaught errors; axe-core is
// evaluated in the page (through the DevTools protocol, so the page's CSP is not relaxed for it);
// screenshots go to test-results/ui/ (ignored by git).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../helpers/server.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = join(ROOT, 'test-results/ui');
const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** Skips (or fails under CI=true) when Chromium is not installed. */
export function chromiumMissing(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const why = `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (process.env.CI === 'true') throw new Error(why);
  return why;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export interface Watched {
  page: Page;
  context: BrowserContext;
  problems: string[];
}

/** A fresh context (its own cookies) and page that records every CSP violation and page error. */
export async function openPage(browser: Browser, width = 1280): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 780 : 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  await context.exposeBinding('__rackdProblem', (_src, text: string) => void problems.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __rackdProblem(t: string): void }).__rackdProblem(`CSP ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('pageerror', (err) => problems.push(`pageerror ${err.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console ${m.text()}`);
    if (m.type() === 'warning' && /Alpine Expression Error/.test(m.text())) problems.push(`alpine ${m.text()}`);
  });
  return { page, context, problems };
}

/** Signs in through the login form; waits for the dashboard (or the page of `next`). */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('.sidebar');
}

/** Waits until the SPA shows a page (its heading) after a navigation. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForSelector('main h1');
}

/** No serious or critical axe-core violation on the current page. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  await page.evaluate(AXE);
  const result = (await page.evaluate(() => (window as unknown as { axe: { run(o: object): Promise<unknown> } }).axe.run({ resultTypes: ['violations'] }))) as {
    violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
  };
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`),
    [],
    `${what}: axe-core violations`,
  );
}

export function shot(page: Page, name: string): Promise<Buffer> {
  mkdirSync(SHOTS, { recursive: true });
  return page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
