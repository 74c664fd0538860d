// device-get: throughput of an API-key-authenticated GET /api/devices/{id} (a typical read of the
// operation catalogue: authentication, RBAC, catalogue route, service verb, device with its
// addresses and tags, output JSON) relative to GET /healthz of the same server in the same run,
// on the shared 100,000-device inventory; target ≥ 0.5.
import { compareThroughput, fmt, mib, type Benchmark } from './lib/bench.ts';
import { deviceName, sharedInventory } from './lib/inventory.ts';
import { runLoad } from './lib/load.ts';

const CONCURRENCY = 8;
const TARGET = 0.5;
/** A device in the middle of the inventory (a web server with one address and four tags). */
export const PROBE_DEVICE = 50_000;

export const deviceGet: Benchmark = {
  name: 'device-get',
  async run(settings) {
    const inv = await sharedInventory(settings);
    inv.usedBy.push('device-get');
    const { server } = inv;
    const id = inv.ids[PROBE_DEVICE]!;
    const path = `/api/devices/${id}`;
    const got = await inv.api.call<{ id: string; name: string; addresses: unknown[]; tags: string[] }>('GET', path, undefined, 200);
    if (got.id !== id || got.name !== deviceName(PROBE_DEVICE) || got.addresses.length !== 1 || got.tags.length !== 4) {
      throw new Error(`GET ${path} returned the wrong device: ${JSON.stringify(got).slice(0, 300)}`);
    }
    const rssBefore = server.rssKb();
    const headers = { authorization: `Bearer ${inv.key}` };
    const healthz = (durationMs: number) => runLoad({ url: server.url, path: '/healthz', concurrency: CONCURRENCY, durationMs });
    const device = (durationMs: number) => runLoad({ url: server.url, path, headers, concurrency: CONCURRENCY, durationMs });
    const { ratio, cpuA, cpuB, table } = await compareThroughput(
      settings,
      server.cpuSeconds,
      { labels: ['/healthz', 'GET /api/devices/{id}'], columns: ['/healthz', 'device'] },
      healthz,
      device,
    );
    return {
      description:
        `Requests/s of \`GET /api/devices/{id}\` with an admin API key divided by requests/s of \`GET /healthz\` ` +
        `(unauthenticated, no database) on the same server, ${CONCURRENCY} keep-alive connections, closed loop. ` +
        `Server: the shared inventory of ${fmt(inv.ids.length)} devices (see rss-100k); the device read is #${PROBE_DEVICE} ` +
        `(one address, four tags). Ratio = median(device req/s) / median(healthz req/s).`,
      target: `ratio ≥ ${TARGET}`,
      ratio,
      pass: ratio >= TARGET,
      table,
      notes: [
        `Server CPU per request (user + system, all threads; diagnostic, not the verdict): ${fmt(cpuA)} µs for /healthz, ` +
          `${fmt(cpuB)} µs for the device read, CPU-cost ratio ${fmt(cpuA / cpuB, 3)}.`,
        `Server RSS (VmRSS): ${mib(rssBefore)} before, ${mib(server.rssKb())} after the benchmark.`,
      ],
    };
  },
};
