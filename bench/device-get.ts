// device-get: throughput of an API-key-authenticated GET /api/devices/{id} (a typical read of the
// operation catalogue: authentication, RBAC, catalogue route, service verb, device with its
// addresses and tags, output JSON) relative to the bare Hono app (bench/lib/ceiling.ts) in its own
// process, interleaved in the same run, on the shared 100,000-device inventory; target ≥ 0.4.
import { compareThroughput, fmt, mib, type Benchmark } from './lib/bench.ts';
import { captureFloor, ceilingSide, floorSide, startCeiling } from './lib/ceiling.ts';
import { deviceName, sharedInventory } from './lib/inventory.ts';
import { runLoad } from './lib/load.ts';

const CONCURRENCY = 8;
const TARGET = 0.4;
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
    const bare = await startCeiling(await captureFloor(server.url, path, { headers }));
    try {
      const { medians, table } = await compareThroughput(
        settings,
        [
          ceilingSide(bare, CONCURRENCY),
          floorSide(bare, CONCURRENCY, { headers }),
          { label: '/healthz', column: '/healthz', load: (durationMs) => runLoad({ url: server.url, path: '/healthz', concurrency: CONCURRENCY, durationMs }), cpuSeconds: server.cpuSeconds },
          { label: 'GET /api/devices/{id}', column: 'device', load: (durationMs) => runLoad({ url: server.url, path, headers, concurrency: CONCURRENCY, durationMs }), cpuSeconds: server.cpuSeconds },
        ],
        [[3, 0], [1, 0], [3, 1]],
      );
      const [b, f, h, d] = [medians[0]!, medians[1]!, medians[2]!, medians[3]!];
      const ratio = d.rps / b.rps;
      return {
        description:
          `Requests/s of \`GET /api/devices/{id}\` with an admin API key divided by requests/s of a bare Hono app ` +
          `(one small JSON route on the same \`@hono/node-server\`, its own process; see healthz), ${CONCURRENCY} keep-alive ` +
          `connections, closed loop, autocannon in its own process, interleaved round by round with rackd's \`/healthz\` ` +
          `alongside. Server: the shared inventory of ${fmt(inv.ids.length)} devices (see rss-100k); the device read is ` +
          `#${PROBE_DEVICE} (one address, four tags). Ratio = median(device req/s) / median(bare req/s). The floor: the ` +
          `bare app's \`/floor\` route sending the response rackd gave (its header fields and the device JSON) with none of ` +
          `rackd's work (see healthz).`,
        target: `ratio ≥ ${TARGET}`,
        ratio,
        pass: ratio >= TARGET,
        table,
        notes: [
          `Profile findings: see device-get in bench/README.md.`,
          `The floor ÷ bare: ${fmt(f.rps / b.rps, 3)}; the device read ÷ floor: ${fmt(d.rps / f.rps, 3)}.`,
          `Device read ÷ rackd /healthz: ${fmt(d.rps / h.rps, 3)} (the earlier verdict, target 0.5).`,
          `Server CPU per request (user + system, all threads; diagnostic, not the verdict): ${fmt(b.cpu)} µs bare Hono, ` +
            `${fmt(f.cpu)} µs the floor, ${fmt(h.cpu)} µs for /healthz, ${fmt(d.cpu)} µs for the device read.`,
          `Server RSS (VmRSS): ${mib(rssBefore)} before, ${mib(server.rssKb())} after the benchmark.`,
        ],
      };
    } finally {
      await bare.stop();
    }
  },
};
