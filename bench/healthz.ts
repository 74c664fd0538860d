// healthz: rackd's cheapest route against the framework's ceiling. GET /healthz (every global
// middleware: request id, client IP, security headers and CSP, rate limiter, request timeout, body
// limit, access log; no authentication, no database) against a bare Hono app answering one small
// JSON object on the same @hono/node-server, each in its own process, interleaved round by round;
// target ≥ 0.7.
import { compareThroughput, fmt, mib, type Benchmark } from './lib/bench.ts';
import { captureFloor, ceilingSide, floorSide, startCeiling } from './lib/ceiling.ts';
import { runLoad } from './lib/load.ts';
import { startBenchServer } from './lib/server.ts';

const CONCURRENCY = 8;
const TARGET = 0.7;

export const healthz: Benchmark = {
  name: 'healthz',
  async run(settings) {
    const server = await startBenchServer({ cpuProfDir: settings.cpuProfDir });
    const bare = await startCeiling(await captureFloor(server.url, '/healthz'));
    try {
      const rssBefore = server.rssKb();
      const { medians, table } = await compareThroughput(
        settings,
        [
          ceilingSide(bare, CONCURRENCY),
          floorSide(bare, CONCURRENCY),
          { label: 'rackd /healthz', column: '/healthz', load: (durationMs) => runLoad({ url: server.url, path: '/healthz', concurrency: CONCURRENCY, durationMs }), cpuSeconds: server.cpuSeconds },
        ],
        [[2, 0], [1, 0], [2, 1]],
      );
      const [b, f, h] = [medians[0]!, medians[1]!, medians[2]!];
      const ratio = h.rps / b.rps;
      return {
        description:
          `Requests/s of rackd's \`GET /healthz\` (every global middleware, no authentication, no database) divided by ` +
          `requests/s of a bare Hono app on the same \`@hono/node-server\` answering \`GET /\` with \`{"status":"ok"}\`, ` +
          `each server in its own process, autocannon in a third, ${CONCURRENCY} keep-alive connections, closed loop, ` +
          `interleaved round by round. Ratio = median(/healthz req/s) / median(bare req/s). The floor: the bare app's ` +
          `\`/floor\` route answering with the response rackd gave (its header fields, set on the node response, and its ` +
          `body), with none of rackd's work: the most any route sending this response can reach.`,
        target: `ratio ≥ ${TARGET}`,
        ratio,
        pass: ratio >= TARGET,
        table,
        notes: [
          `Profile findings: see healthz in bench/README.md.`,
          `The floor (bare Hono sending rackd's response) ÷ bare: ${fmt(f.rps / b.rps, 3)}; rackd ÷ floor: ${fmt(h.rps / f.rps, 3)}.`,
          `Server CPU per request (user + system, from /proc/<pid>/stat; diagnostic, not the verdict): ` +
            `${fmt(b.cpu)} µs bare Hono, ${fmt(f.cpu)} µs the floor, ${fmt(h.cpu)} µs rackd /healthz, CPU-cost ratio ${fmt(b.cpu / h.cpu, 3)}.`,
          `rackd server RSS (VmRSS): ${mib(rssBefore)} after start-up, ${mib(server.rssKb())} after the benchmark.`,
        ],
      };
    } finally {
      await bare.stop();
      await server.stop();
    }
  },
};
