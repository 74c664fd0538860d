// healthz: rackd's cheapest route against the framework's ceiling. GET /healthz (every global
// middleware: request id, client IP, security headers and CSP, rate limiter, request timeout, body
// limit, access log; no authentication, no database) against a bare Hono app answering one small
// JSON object on the same @hono/node-server, each in its own process, interleaved round by round;
// target ≥ 0.7.
import { compareThroughput, fmt, mib, type Benchmark } from './lib/bench.ts';
import { ceilingSide, startCeiling } from './lib/ceiling.ts';
import { runLoad } from './lib/load.ts';
import { startBenchServer } from './lib/server.ts';

const CONCURRENCY = 8;
const TARGET = 0.7;

export const healthz: Benchmark = {
  name: 'healthz',
  async run(settings) {
    const server = await startBenchServer({ cpuProfDir: settings.cpuProfDir });
    const bare = await startCeiling();
    try {
      const rssBefore = server.rssKb();
      const { medians, table } = await compareThroughput(
        settings,
        [
          ceilingSide(bare, CONCURRENCY),
          { label: 'rackd /healthz', column: '/healthz', load: (durationMs) => runLoad({ url: server.url, path: '/healthz', concurrency: CONCURRENCY, durationMs }), cpuSeconds: server.cpuSeconds },
        ],
        [[1, 0]],
      );
      const [b, h] = [medians[0]!, medians[1]!];
      const ratio = h.rps / b.rps;
      return {
        description:
          `Requests/s of rackd's \`GET /healthz\` (every global middleware, no authentication, no database) divided by ` +
          `requests/s of a bare Hono app on the same \`@hono/node-server\` answering \`GET /\` with \`{"status":"ok"}\`, ` +
          `each server in its own process, autocannon in a third, ${CONCURRENCY} keep-alive connections, closed loop, ` +
          `interleaved round by round. Ratio = median(/healthz req/s) / median(bare req/s).`,
        target: `ratio ≥ ${TARGET}`,
        ratio,
        pass: ratio >= TARGET,
        table,
        notes: [
          `Profile findings (see healthz in bench/README.md): before this work every request built an undici Request + AbortSignal (hono bodyLimit reading c.req.raw.body), an undici Headers for c.req.header(), a Headers for each response header set, two randomBytes calls for its id and three promises for the timeout (~160 µs of server CPU at ~6,500 req/s, 0.147× bare in this harness); now the node request/response are read and written directly. What remains: the security headers themselves (a bare app setting the same eight headers measured 0.8–0.9× the plain one), Hono's composition of six global middlewares, and the TrieRouter fallback (the catalogue's route set is refused by RegExpRouter: /api/devices/:id vs /api/devices/:parent_id/relationships).`,
          `Server CPU per request (user + system, from /proc/<pid>/stat; diagnostic, not the verdict): ` +
            `${fmt(b.cpu)} µs bare Hono, ${fmt(h.cpu)} µs rackd /healthz, CPU-cost ratio ${fmt(b.cpu / h.cpu, 3)}.`,
          `rackd server RSS (VmRSS): ${mib(rssBefore)} after start-up, ${mib(server.rssKb())} after the benchmark.`,
        ],
      };
    } finally {
      await bare.stop();
      await server.stop();
    }
  },
};
