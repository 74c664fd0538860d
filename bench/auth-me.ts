// auth-me: throughput of an API-key-authenticated GET /api/auth/me relative to the server's
// cheapest route, GET /healthz (no authentication, no database), on the same server in the
// same run, with the bare Hono ceiling measured alongside. The verdict ratio is the share of the
// server's raw request throughput that authentication + RBAC context + the handler leave; target ≥ 0.5.
import { compareThroughput, fmt, mib, type Benchmark } from './lib/bench.ts';
import { ceilingSide, startCeiling } from './lib/ceiling.ts';
import { runLoad } from './lib/load.ts';
import { adminApiKey, startBenchServer } from './lib/server.ts';

const CONCURRENCY = 8;
const TARGET = 0.5;

export const authMe: Benchmark = {
  name: 'auth-me',
  async run(settings) {
    const server = await startBenchServer({ cpuProfDir: settings.cpuProfDir });
    const bare = await startCeiling();
    try {
      const key = await adminApiKey(server.url);
      const rssBefore = server.rssKb();
      const { medians, table } = await compareThroughput(
        settings,
        [
          ceilingSide(bare, CONCURRENCY),
          { label: '/healthz', column: '/healthz', load: (durationMs) => runLoad({ url: server.url, path: '/healthz', concurrency: CONCURRENCY, durationMs }), cpuSeconds: server.cpuSeconds },
          {
            label: '/api/auth/me',
            column: 'me',
            load: (durationMs) => runLoad({ url: server.url, path: '/api/auth/me', headers: { authorization: `Bearer ${key}` }, concurrency: CONCURRENCY, durationMs }),
            cpuSeconds: server.cpuSeconds,
          },
        ],
        [[2, 1], [2, 0]],
      );
      const [b, h, me] = [medians[0]!, medians[1]!, medians[2]!];
      const ratio = me.rps / h.rps;
      return {
        description:
          `Requests/s of \`GET /api/auth/me\` with an admin API key (\`Authorization: Bearer rackd_…\`) divided by ` +
          `requests/s of \`GET /healthz\` (unauthenticated, no database) on the same server, ` +
          `${CONCURRENCY} keep-alive connections, closed loop (autocannon in its own process). The bare Hono app ` +
          `(see healthz) is measured in the same rounds for reference. Ratio = median(me req/s) / median(healthz req/s).`,
        target: `ratio ≥ ${TARGET}`,
        ratio,
        pass: ratio >= TARGET,
        table,
        notes: [
          `Against the bare Hono app: /healthz ${fmt(h.rps / b.rps, 3)}×, /api/auth/me ${fmt(me.rps / b.rps, 3)}×.`,
          `Server CPU per request (user + system, from /proc/<pid>/stat; diagnostic, not the verdict): ` +
            `${fmt(b.cpu)} µs bare Hono, ${fmt(h.cpu)} µs for /healthz, ${fmt(me.cpu)} µs for /api/auth/me, CPU-cost ratio ${fmt(h.cpu / me.cpu, 3)}.`,
          `Server RSS (VmRSS): ${mib(rssBefore)} after start-up, ${mib(server.rssKb())} after the benchmark.`,
        ],
      };
    } finally {
      await bare.stop();
      await server.stop();
    }
  },
};
