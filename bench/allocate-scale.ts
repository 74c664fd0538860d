// allocate-scale: ip_allocate must not get slower as a pool fills up (issue 3: "no walk from the
// start of the range"). Latency of REST POST /api/pools/{id}/allocate in a /16 pool whose first
// 65,000 addresses are in use, against the same call in an empty /24 pool, on the same server in
// the same run; target: p50 and p95 ratios (big / small) both ≤ 3.
//
// Every allocation really takes an address, and the /16 has only 534 left, the /24 254: so an
// allocation batch is followed (untimed) by deleting the reservations it created, which returns
// the addresses — the next batch allocates the very same addresses again, from the same state.
import { fmt, interleaved, medianOf, mib, ms, type Benchmark } from './lib/bench.ts';
import { Api, FILL_ENV, fillDevices } from './lib/inventory.ts';
import { quantile } from './lib/load.ts';
import { adminApiKey, startBenchServer } from './lib/server.ts';

const TARGET = 3;
const USED = 65_000;
const PER_DEVICE = 100; // ≤ 256 addresses per device (schema limit)
const DEVICES_PER_CALL = 40; // 4,000 addresses per bulk call: ~1 ms each, so a call stays under the 5 s keep-alive timeout
const BATCH = 200; // allocations before releasing; < 254 so the /24 never runs dry
const BIG_BASE = (10 << 24) + (1 << 16); // 10.1.0.0/16
const ipv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
/** The first free address of the /16 once addresses 10.1.0.1 … (USED of them) are taken. */
const BIG_FIRST_FREE = ipv4(BIG_BASE + 1 + USED);

interface Pool {
  name: string;
  id: string;
  firstFree: string;
}

interface AllocRound {
  allocations: number;
  p50: number;
  p95: number;
  p99: number;
  cpuUsPerAlloc: number;
}

let keySeq = 0;

/** Allocates BATCH addresses one after another (timed), then deletes the reservations (untimed); repeats for `budgetMs` of allocation time. */
async function allocRound(api: Api, pool: Pool, budgetMs: number, cpuSeconds: () => number): Promise<AllocRound> {
  const samples: number[] = [];
  let timedMs = 0;
  let cpu = 0;
  do {
    const reservations: string[] = [];
    const cpu0 = cpuSeconds();
    for (let i = 0; i < BATCH; i++) {
      const t0 = performance.now();
      const r = await api.call<{ ip: string; reservation_id: string; idempotent_replay: boolean }>(
        'POST',
        `/api/pools/${pool.id}/allocate`,
        { idempotency_key: `bench-${process.pid}-${++keySeq}` },
        201,
      );
      const t = performance.now() - t0;
      samples.push(t);
      timedMs += t;
      if (i === 0 && r.ip !== pool.firstFree) throw new Error(`${pool.name}: first allocation got ${r.ip}, expected ${pool.firstFree}`);
      if (r.idempotent_replay) throw new Error(`${pool.name}: fresh idempotency_key answered as a replay`);
      reservations.push(r.reservation_id);
    }
    cpu += cpuSeconds() - cpu0;
    for (const id of reservations) await api.call('DELETE', `/api/reservations/${id}`, undefined, 204);
  } while (timedMs < budgetMs);
  const sorted = Float64Array.from(samples).sort();
  return {
    allocations: samples.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    cpuUsPerAlloc: (cpu * 1e6) / samples.length,
  };
}

async function createPool(api: Api, name: string, subnet: string, start: string, end: string): Promise<string> {
  const net = await api.call<{ id: string }>('POST', '/api/networks', { name, subnet }, 201);
  const pool = await api.call<{ id: string }>('POST', `/api/networks/${net.id}/pools`, { name, start_ip: start, end_ip: end }, 201);
  return pool.id;
}

const describe = (r: AllocRound) =>
  `${r.allocations} allocations, p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}, server CPU ${fmt(r.cpuUsPerAlloc)} µs/allocation`;

export const allocateScale: Benchmark = {
  name: 'allocate-scale',
  async run(settings) {
    const server = await startBenchServer({ cpuProfDir: settings.cpuProfDir, env: FILL_ENV });
    const api = new Api(server.url, await adminApiKey(server.url));
    try {
      const rssBefore = server.rssKb();
      const bigId = await createPool(api, 'bench-big', '10.1.0.0/16', '10.1.0.1', '10.1.255.254');
      const smallId = await createPool(api, 'bench-small', '10.2.0.0/24', '10.2.0.1', '10.2.0.254');

      // Fill: USED device addresses 10.1.0.1, 10.1.0.2, … in bulk device creates (not 65,000 calls).
      settings.log(`  fill: ${USED.toLocaleString('en-US')} addresses of the /16 as device addresses, ${PER_DEVICE} per device, ${DEVICES_PER_CALL} devices per POST /api/devices/bulk`);
      const make = (i: number) => ({
        name: `fill-${String(i).padStart(3, '0')}`,
        addresses: Array.from({ length: Math.min(PER_DEVICE, USED - i * PER_DEVICE) }, (_, k) => ({ ip: ipv4(BIG_BASE + 1 + i * PER_DEVICE + k) })),
      });
      const { stats } = await fillDevices(api, 0, Math.ceil(USED / PER_DEVICE), settings.log, { make, batch: DEVICES_PER_CALL, inFlight: 1 });
      settings.log(`  fill done: ${stats.calls} bulk calls, ${fmt(stats.ms / 1000, 1)} s`);
      const big = await api.call<{ utilization: { used: number; available: number } }>('GET', `/api/pools/${bigId}`, undefined, 200);
      if (big.utilization.used !== USED) throw new Error(`/16 pool reports ${big.utilization.used} used, expected ${USED}`);

      const pools: [Pool, Pool] = [
        { name: '/24 empty', id: smallId, firstFree: '10.2.0.1' },
        { name: `/16 ${fmt(USED)} used`, id: bigId, firstFree: BIG_FIRST_FREE },
      ];
      settings.log('  warm-up');
      await allocRound(api, pools[0], settings.warmupMs, server.cpuSeconds);
      await allocRound(api, pools[1], settings.warmupMs, server.cpuSeconds);
      const r = await interleaved<AllocRound>(
        settings,
        [pools[0].name, pools[1].name],
        () => allocRound(api, pools[0], settings.roundMs, server.cpuSeconds),
        () => allocRound(api, pools[1], settings.roundMs, server.cpuSeconds),
        describe,
      );
      const p50Ratio = medianOf(r.b, (x) => x.p50) / medianOf(r.a, (x) => x.p50);
      const p95Ratio = medianOf(r.b, (x) => x.p95) / medianOf(r.a, (x) => x.p95);
      const ratio = Math.max(p50Ratio, p95Ratio);
      const rows = r.a.map((a, i) => {
        const b = r.b[i]!;
        return [String(i + 1), ms(a.p50), ms(a.p95), fmt(a.cpuUsPerAlloc), ms(b.p50), ms(b.p95), fmt(b.cpuUsPerAlloc), fmt(b.p50 / a.p50, 2), fmt(b.p95 / a.p95, 2)];
      });
      rows.push([
        '**median**',
        `**${ms(medianOf(r.a, (x) => x.p50))}**`,
        `**${ms(medianOf(r.a, (x) => x.p95))}**`,
        fmt(medianOf(r.a, (x) => x.cpuUsPerAlloc)),
        `**${ms(medianOf(r.b, (x) => x.p50))}**`,
        `**${ms(medianOf(r.b, (x) => x.p95))}**`,
        fmt(medianOf(r.b, (x) => x.cpuUsPerAlloc)),
        `**${fmt(p50Ratio, 2)}**`,
        `**${fmt(p95Ratio, 2)}**`,
      ]);
      const allocations = [...r.a, ...r.b].reduce((n, x) => n + x.allocations, 0);
      return {
        description:
          `Latency of \`POST /api/pools/{id}/allocate\` (REST \`ip_allocate\`, admin API key, body \`{"idempotency_key": <new per call>}\`, ` +
          `so each call creates an active reservation) in a /16 pool (10.1.0.1–10.1.255.254) whose first ${fmt(USED)} addresses are ` +
          `device addresses, against an empty /24 pool (10.2.0.1–10.2.0.254) on the same server. One connection, calls back to back; ` +
          `after each ${BATCH} allocations the reservations are deleted (untimed) so both pools stay in the same state and neither runs dry ` +
          `(each batch checks its first address is the pool's first free one, e.g. ${BIG_FIRST_FREE} in the /16). ` +
          `Ratio = max(median p50 /16 ÷ median p50 /24, median p95 /16 ÷ median p95 /24).`,
        target: `ratio ≤ ${TARGET} (p50 and p95)`,
        ratio,
        pass: p50Ratio <= TARGET && p95Ratio <= TARGET,
        table: {
          header: ['round', '/24 p50', '/24 p95', '/24 server CPU µs/alloc', '/16 p50', '/16 p95', '/16 server CPU µs/alloc', 'p50 ratio', 'p95 ratio'],
          rows,
        },
        notes: [
          `p50 ratio ${fmt(p50Ratio, 2)}, p95 ratio ${fmt(p95Ratio, 2)}; ${fmt(allocations)} timed allocations in all.`,
          `Fill: ${fmt(USED)} addresses as ${stats.devices} devices × ≤${PER_DEVICE} addresses in ${stats.calls} \`POST /api/devices/bulk\` calls, ${fmt(stats.ms / 1000, 1)} s; ` +
            `GET /api/pools/{id} then reported ${fmt(big.utilization.used)} used, ${fmt(big.utilization.available)} available.`,
          `Server RSS (VmRSS): ${mib(rssBefore)} after start-up, ${mib(server.rssKb())} after the benchmark.`,
        ],
      };
    } finally {
      api.close();
      await server.stop();
    }
  },
};
