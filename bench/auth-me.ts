// auth-me: throughput of an API-key-authenticated GET /api/auth/me relative to the server's
// cheapest route, GET /healthz (no authentication, no database), on the same server in the
// same run. The ratio is the share of raw request throughput that authentication + RBAC
// context + the handler leave; target ≥ 0.5.
import { compareThroughput, fmt, mib, type Benchmark } from './lib/bench.ts';
import { runLoad } from './lib/load.ts';
import { adminApiKey, startBenchServer } from './lib/server.ts';

const CONCURRENCY = 8;
const TARGET = 0.5;

export const authMe: Benchmark = {
  name: 'auth-me',
  async run(settings) {
    const server = await startBenchServer({ cpuProfDir: settings.cpuProfDir });
    try {
      const key = await adminApiKey(server.url);
      const rssBefore = server.rssKb();
      const healthz = (durationMs: number) => runLoad({ url: server.url, path: '/healthz', concurrency: CONCURRENCY, durationMs });
      const me = (durationMs: number) =>
        runLoad({ url: server.url, path: '/api/auth/me', headers: { authorization: `Bearer ${key}` }, concurrency: CONCURRENCY, durationMs });
      const { ratio, cpuA, cpuB, table } = await compareThroughput(
        settings,
        server.cpuSeconds,
        { labels: ['/healthz', '/api/auth/me'], columns: ['/healthz', '/api/auth/me'] },
        healthz,
        me,
      );
      return {
        description:
          `Requests/s of \`GET /api/auth/me\` with an admin API key (\`Authorization: Bearer rackd_…\`) divided by ` +
          `requests/s of \`GET /healthz\` (unauthenticated, no database) on the same server, ` +
          `${CONCURRENCY} keep-alive connections, closed loop. Ratio = median(me req/s) / median(healthz req/s).`,
        target: `ratio ≥ ${TARGET}`,
        ratio,
        pass: ratio >= TARGET,
        table,
        notes: [
          `Server CPU per request (user + system, from /proc/<pid>/stat; diagnostic, not the verdict): ` +
            `${fmt(cpuA)} µs for /healthz, ${fmt(cpuB)} µs for /api/auth/me, CPU-cost ratio ${fmt(cpuA / cpuB, 3)}.`,
          `Server RSS (VmRSS): ${mib(rssBefore)} after start-up, ${mib(server.rssKb())} after the benchmark.`,
        ],
      };
    } finally {
      await server.stop();
    }
  },
};
