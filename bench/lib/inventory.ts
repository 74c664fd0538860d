// Inventory fixtures for the benchmarks that need data: a small JSON client over the REST API,
// the 100,000-device inventory (built through POST /api/devices/bulk, the way an importer
// would, never by opening the server's database), and the one server that holds it, shared by
// device-get, mcp-vs-rest, search-p95 and rss-100k so the fill (a few minutes) is paid once.
import http from 'node:http';
import type { BenchSettings } from './bench.ts';
import { send } from './load.ts';
import { adminApiKey, startBenchServer, type BenchServer } from './server.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** JSON over one keep-alive agent, API-key authenticated; a status other than `expect` throws. */
export class Api {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  constructor(
    readonly url: string,
    readonly key: string,
  ) {}

  async call<T = unknown>(method: string, path: string, body: unknown, expect: number): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}` };
    const text = body === undefined ? undefined : JSON.stringify(body);
    if (text !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(text));
    }
    const res = await send(this.agent, new URL(path, this.url), method, headers, text);
    if (res.status !== expect) throw new Error(`${method} ${path}: expected ${expect}, got ${res.status}: ${res.text.slice(0, 300)}`);
    return (res.text ? JSON.parse(res.text) : undefined) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The bulk routes sit behind the login limiter (5/min by default); the fill needs hundreds of calls. */
export const FILL_ENV = { LOGIN_RATE_LIMIT_REQUESTS: '1000000' };

// --- the 100,000-device inventory -------------------------------------------------------------

export const DEVICE_COUNT = 100_000;
const BULK = 100;
const ROLES = ['web', 'db', 'app', 'cache', 'lb', 'sw', 'stor', 'mon'] as const;
const ROLE_TEXT: Record<(typeof ROLES)[number], string> = {
  web: 'nginx front end',
  db: 'PostgreSQL database server',
  app: 'application server',
  cache: 'Redis cache',
  lb: 'HAProxy load balancer',
  sw: 'top-of-rack switch',
  stor: 'Ceph storage node',
  mon: 'Prometheus monitoring',
};
const SITES = ['ams1', 'fra1', 'lon1', 'nyc1'] as const;
const RACKS_PER_SITE = 50;
const MAKES = ['Dell PowerEdge R650', 'HPE ProLiant DL360 Gen10', 'Supermicro SYS-1029P', 'Lenovo ThinkSystem SR630', 'Arista 7050SX3', 'Cisco Nexus 93180YC'];
const OSES = ['Ubuntu 22.04', 'Debian 12', 'Rocky Linux 9', 'Windows Server 2022', 'EOS 4.30'];
const ENVS = ['prod', 'prod', 'prod', 'prod', 'prod', 'prod', 'prod', 'staging', 'staging', 'dev'];

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const roleOf = (i: number) => ROLES[i % ROLES.length]!;
const siteOf = (i: number) => SITES[Math.floor(i / ROLES.length) % SITES.length]!;
const rackOf = (i: number) => Math.floor(i / (ROLES.length * SITES.length)) % RACKS_PER_SITE;
export const deviceName = (i: number) => `${roleOf(i)}-${pad(i, 5)}`;

/** Device i of the inventory: every field a search could hit is filled, with realistic spread. */
export function deviceBody(i: number): Record<string, unknown> {
  const role = roleOf(i);
  const site = siteOf(i);
  const rack = `${site}-r${pad(rackOf(i), 2)}`;
  return {
    name: deviceName(i),
    hostname: `${deviceName(i)}.${site}.example.net`,
    description: `${ROLE_TEXT[role]} (${ENVS[i % ENVS.length]})`,
    make_model: MAKES[i % MAKES.length],
    os: OSES[i % OSES.length],
    location: `${site.toUpperCase()} row ${1 + (rackOf(i) % 10)} rack ${rack.toUpperCase()} U${1 + (i % 42)}`,
    status: i % 50 === 0 ? 'planned' : i % 97 === 0 ? 'maintenance' : 'active',
    tags: [`site-${site}`, rack, `role-${role}`, `env-${ENVS[i % ENVS.length]}`],
    addresses: [{ ip: `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, label: 'mgmt' }],
  };
}

const count = (pred: (i: number) => boolean) => {
  let n = 0;
  for (let i = 0; i < DEVICE_COUNT; i++) if (pred(i)) n++;
  return n;
};

/** Search terms with the number of devices each matches (by construction of deviceBody). */
export const SEARCH_TERMS = {
  /** One device by its exact name (also in its hostname). */
  selective: { q: deviceName(4216), hits: 1 },
  /** A rack: its devices carry the tag `ams1-r07` and have it in their location. */
  medium: { q: 'ams1-r07', hits: count((i) => siteOf(i) === 'ams1' && rackOf(i) === 7) },
  /** A role that one device in eight has (name, hostname, tag role-db). */
  broad: { q: 'db', hits: count((i) => roleOf(i) === 'db') },
} as const;

export interface FillStats {
  devices: number;
  calls: number;
  ms: number;
}

export interface FillOptions {
  /** Body of device i (default deviceBody). */
  make?: (i: number) => Record<string, unknown>;
  /** Devices per bulk call (default and maximum 100). */
  batch?: number;
  /**
   * Calls in flight (default 2, so the next body is built while the server works). Use 1 for
   * calls that block the server for seconds: a request waiting on a keep-alive socket while the
   * event loop is blocked past the server's 5 s keepAliveTimeout gets ECONNRESET.
   */
  inFlight?: number;
}

/** Creates devices [from, to) with POST /api/devices/bulk, `batch` per call. */
export async function fillDevices(api: Api, from: number, to: number, log: (l: string) => void, opts: FillOptions = {}): Promise<{ ids: string[]; stats: FillStats }> {
  const make = opts.make ?? deviceBody;
  const batch = opts.batch ?? BULK;
  const ids: string[] = new Array(to - from);
  const t0 = performance.now();
  let next = from;
  let calls = 0;
  const worker = async () => {
    while (next < to) {
      const start = next;
      const end = Math.min(to, start + batch);
      next = end;
      const body = Array.from({ length: end - start }, (_, k) => make(start + k));
      const res = await api.call<{ ids: string[] }>('POST', '/api/devices/bulk', body, 200);
      res.ids.forEach((id, k) => (ids[start - from + k] = id));
      calls++;
      if (calls % 100 === 0) log(`  fill: ${calls * batch} devices, ${Math.round((performance.now() - t0) / 1000)} s`);
    }
  };
  await Promise.all(Array.from({ length: opts.inFlight ?? 2 }, worker));
  return { ids, stats: { devices: to - from, calls, ms: performance.now() - t0 } };
}

// --- the shared 100k-device server ------------------------------------------------------------

export interface Inventory {
  server: BenchServer;
  api: Api;
  key: string;
  ids: string[];
  fill: FillStats;
  rssEmptyKb: number;
  rssFilledKb: number;
  /** Benchmarks that have measured on this server so far, in order. */
  usedBy: string[];
}

let shared: Promise<Inventory> | undefined;

async function build(settings: BenchSettings): Promise<Inventory> {
  settings.log(`  shared inventory server: starting, then creating ${DEVICE_COUNT.toLocaleString('en-US')} devices with POST /api/devices/bulk`);
  const server = await startBenchServer({ cpuProfDir: settings.cpuProfDir, env: FILL_ENV });
  try {
    const key = await adminApiKey(server.url);
    const api = new Api(server.url, key);
    await sleep(2000);
    const rssEmptyKb = server.rssKb();
    const { ids, stats } = await fillDevices(api, 0, DEVICE_COUNT, settings.log);
    const check = await api.call<{ name: string }>('GET', `/api/devices/${ids[4216]}`, undefined, 200);
    if (check.name !== deviceName(4216)) throw new Error(`device 4216 is ${check.name}`);
    settings.log(`  fill done: ${stats.devices} devices in ${stats.calls} calls, ${Math.round(stats.ms / 1000)} s`);
    return { server, api, key, ids, fill: stats, rssEmptyKb, rssFilledKb: server.rssKb(), usedBy: [] };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** The shared server with 100,000 devices, built on first use (with the first caller's settings). */
export function sharedInventory(settings: BenchSettings): Promise<Inventory> {
  shared ??= build(settings);
  return shared;
}

/** Stops the shared server if one was started; bench/run.ts calls this once at the end. */
export async function stopSharedInventory(): Promise<void> {
  const s = shared;
  shared = undefined;
  if (!s) return;
  const inv = await s.catch(() => undefined);
  if (!inv) return;
  inv.api.close();
  await inv.server.stop();
}

/** Idle the server for `ms`, sampling VmRSS each second; V8 shrinks its heap when idle, not under load. */
export async function quietRss(server: BenchServer, ms: number): Promise<number[]> {
  const samples: number[] = [];
  for (let t = 0; t < ms; t += 1000) {
    await sleep(1000);
    samples.push(server.rssKb());
  }
  return samples;
}
