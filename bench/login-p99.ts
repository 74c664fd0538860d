// login-p99: bcrypt at cost 14 must not stall everyone else. p99 latency of API-key GETs of
// /api/auth/me while 5 password logins run back to back, against the same GETs with no logins,
// on the same server in the same run; target ≤ 3. Hashing lives in worker threads, so what this
// catches is bcrypt (or login bookkeeping) landing on the event loop or starving it of CPU.
import http from 'node:http';
import { describeLoad, fmt, interleaved, medianOf, mib, ms, type Benchmark } from './lib/bench.ts';
import { runLoad, send, type LoadResult } from './lib/load.ts';
import { ADMIN, adminApiKey, startBenchServer } from './lib/server.ts';

const CONCURRENCY = 8;
const LOGINS = 5;
const TARGET = 3;

interface LoginStats {
  completed: number;
  totalMs: number;
}

/** `LOGINS` connections logging in back to back until stop(); stop() resolves once all are idle. */
function startLogins(url: string): { stop(): Promise<LoginStats> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: LOGINS });
  const target = new URL('/api/auth/login', url);
  const body = JSON.stringify(ADMIN);
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
  const stats: LoginStats = { completed: 0, totalMs: 0 };
  let stopped = false;
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const t0 = performance.now();
      const res = await send(agent, target, 'POST', headers, body);
      if (res.status !== 200) throw new Error(`login: expected 200, got ${res.status}: ${res.text.slice(0, 200)}`);
      stats.totalMs += performance.now() - t0;
      stats.completed++;
    }
  };
  // A failed login stops its loop; the error is rethrown by stop() rather than left unhandled.
  const loops = Promise.all(Array.from({ length: LOGINS }, loop)).then(
    () => undefined,
    (err: Error) => err,
  );
  return {
    async stop() {
      stopped = true;
      const err = await loops;
      agent.destroy();
      if (err) throw err;
      return stats;
    },
  };
}

export const loginP99: Benchmark = {
  name: 'login-p99',
  async run(settings) {
    // Default PASSWORD_HASH_COST (14, the real cost) and worker count; only the login limiter is lifted.
    const server = await startBenchServer({ cpuProfDir: settings.cpuProfDir, env: { LOGIN_RATE_LIMIT_REQUESTS: '1000000' } });
    try {
      const key = await adminApiKey(server.url);
      const rssBefore = server.rssKb();
      const gets = (durationMs: number) =>
        runLoad({ url: server.url, path: '/api/auth/me', headers: { authorization: `Bearer ${key}` }, concurrency: CONCURRENCY, durationMs });
      settings.log('  warm-up');
      await gets(settings.warmupMs);
      const logins: LoginStats[] = [];
      const r = await interleaved<LoadResult>(
        settings,
        ['GETs alone', `GETs + ${LOGINS} logins`],
        () => gets(settings.roundMs),
        async () => {
          const running = startLogins(server.url);
          const result = await gets(settings.roundMs).finally(async () => logins.push(await running.stop()));
          return result;
        },
        describeLoad,
      );
      const base = medianOf(r.a, (x) => x.p99);
      const cand = medianOf(r.b, (x) => x.p99);
      const ratio = cand / base;
      const rows = r.a.map((a, i) => {
        const b = r.b[i]!;
        return [String(i + 1), ms(a.p50), ms(a.p99), fmt(a.rps), ms(b.p50), ms(b.p99), fmt(b.rps), fmt(b.p99 / a.p99, 2)];
      });
      rows.push([
        '**median**',
        ms(medianOf(r.a, (x) => x.p50)),
        `**${ms(base)}**`,
        fmt(medianOf(r.a, (x) => x.rps)),
        ms(medianOf(r.b, (x) => x.p50)),
        `**${ms(cand)}**`,
        fmt(medianOf(r.b, (x) => x.rps)),
        `**${fmt(ratio, 2)}**`,
      ]);
      const completed = logins.reduce((n, s) => n + s.completed, 0);
      const totalMs = logins.reduce((n, s) => n + s.totalMs, 0);
      return {
        description:
          `p99 latency of \`GET /api/auth/me\` (admin API key, ${CONCURRENCY} keep-alive connections, closed loop) while ` +
          `${LOGINS} clients log in back to back with \`POST /api/auth/login\` (bcrypt cost 14, default worker pool), ` +
          `divided by the p99 of the same GETs with no logins. Each login round waits for its in-flight logins ` +
          `to finish before the next baseline round starts. Ratio = median(p99 with logins) / median(p99 alone).`,
        target: `ratio ≤ ${TARGET}`,
        ratio,
        pass: ratio <= TARGET,
        table: {
          header: ['round', 'alone p50', 'alone p99', 'alone req/s', 'with logins p50', 'with logins p99', 'with logins req/s', 'round ratio'],
          rows,
        },
        notes: [
          `Logins completed: ${completed} (${fmt(completed / settings.rounds, 1)} per login round), ` +
            `mean login latency ${ms(completed ? totalMs / completed : NaN)} (queued behind the bcrypt pool).`,
          `Server RSS (VmRSS): ${mib(rssBefore)} after start-up, ${mib(server.rssKb())} after the benchmark.`,
        ],
      };
    } finally {
      await server.stop();
    }
  },
};
