// auth-me: throughput of an API-key-authenticated GET /api/auth/me relative to the server's
// cheapest route, GET /healthz (no authentication, no database), on the same server in the
// same run. The ratio is the share of raw request throughput that authentication + RBAC
// context + the handler leave; target ≥ 0.5.
import { describeLoad, fmt, interleaved, medianOf, mib, ms, withServerCpu, type Benchmark, type Measured } from './lib/bench.ts';
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
      settings.log('  warm-up');
      await healthz(settings.warmupMs);
      await me(settings.warmupMs);
      const r = await interleaved<Measured>(
        settings,
        ['/healthz', '/api/auth/me'],
        () => withServerCpu(server.cpuSeconds, () => healthz(settings.roundMs)),
        () => withServerCpu(server.cpuSeconds, () => me(settings.roundMs)),
        (x) => `${describeLoad(x)}, server CPU ${fmt(x.cpuUsPerRequest)} µs/request`,
      );
      const base = medianOf(r.a, (x) => x.rps);
      const cand = medianOf(r.b, (x) => x.rps);
      const ratio = cand / base;
      const rows = r.a.map((a, i) => {
        const b = r.b[i]!;
        return [String(i + 1), fmt(a.rps), ms(a.p99), fmt(a.cpuUsPerRequest), fmt(b.rps), ms(b.p99), fmt(b.cpuUsPerRequest), fmt(b.rps / a.rps, 3)];
      });
      const cpuA = medianOf(r.a, (x) => x.cpuUsPerRequest);
      const cpuB = medianOf(r.b, (x) => x.cpuUsPerRequest);
      rows.push([
        '**median**',
        `**${fmt(base)}**`,
        ms(medianOf(r.a, (x) => x.p99)),
        fmt(cpuA),
        `**${fmt(cand)}**`,
        ms(medianOf(r.b, (x) => x.p99)),
        fmt(cpuB),
        `**${fmt(ratio, 3)}**`,
      ]);
      return {
        description:
          `Requests/s of \`GET /api/auth/me\` with an admin API key (\`Authorization: Bearer rackd_…\`) divided by ` +
          `requests/s of \`GET /healthz\` (unauthenticated, no database) on the same server, ` +
          `${CONCURRENCY} keep-alive connections, closed loop. Ratio = median(me req/s) / median(healthz req/s).`,
        target: `ratio ≥ ${TARGET}`,
        ratio,
        pass: ratio >= TARGET,
        table: {
          header: ['round', '/healthz req/s', '/healthz p99', '/healthz server CPU µs/req', '/api/auth/me req/s', '/api/auth/me p99', '/api/auth/me server CPU µs/req', 'round ratio'],
          rows,
        },
        notes: [
          `Server CPU per request (user + system, from /proc/<pid>/stat; diagnostic, not the verdict): ` +
            `${fmt(cpuA)} µs for /healthz, ${fmt(cpuB)} µs for /api/auth/me, CPU-cost ratio ${fmt(cpuA / cpuB, 3)}.`,`Server RSS (VmRSS): ${mib(rssBefore)} after start-up, ${mib(server.rssKb())} after the benchmark.`],
      };
    } finally {
      await server.stop();
    }
  },
};
