// What a benchmark is to the runner, and the interleaved A/B rounds every benchmark uses: on a
// noisy 2-core machine only a baseline measured alongside the candidate, round by round, is
// comparable, so the ratio is taken between medians of rounds, never against stored numbers.
import { median, type LoadResult } from './load.ts';

export interface BenchSettings {
  rounds: number;
  roundMs: number;
  warmupMs: number;
  /** Directory for the server's --cpu-prof output, when profiling. */
  cpuProfDir?: string;
  log(line: string): void;
}

export interface Table {
  header: string[];
  rows: string[][];
}

export interface BenchOutcome {
  /** Markdown paragraph: what was measured and how. */
  description: string;
  /** e.g. "ratio ≥ 0.5" */
  target: string;
  ratio: number;
  pass: boolean;
  table: Table;
  /** Extra measured facts (server RSS, login counts, …), one line each. */
  notes: string[];
}

export interface Benchmark {
  name: string;
  run(settings: BenchSettings): Promise<BenchOutcome>;
}

export interface Rounds<T> {
  a: T[];
  b: T[];
}

/** Runs baseline and candidate alternately, A B A B …, `rounds` times each. */
export async function interleaved<T>(
  settings: BenchSettings,
  labels: [string, string],
  a: () => Promise<T>,
  b: () => Promise<T>,
  describe: (r: T) => string,
): Promise<Rounds<T>> {
  const out: Rounds<T> = { a: [], b: [] };
  for (let i = 1; i <= settings.rounds; i++) {
    const ra = await a();
    settings.log(`  round ${i}/${settings.rounds} ${labels[0]}: ${describe(ra)}`);
    out.a.push(ra);
    const rb = await b();
    settings.log(`  round ${i}/${settings.rounds} ${labels[1]}: ${describe(rb)}`);
    out.b.push(rb);
  }
  return out;
}

export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

export const ms = (n: number): string => `${fmt(n, 2)} ms`;

export const describeLoad = (r: LoadResult): string =>
  `${fmt(r.rps)} req/s, p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)} (${r.requests} requests)`;

export const medianOf = <T>(xs: T[], pick: (x: T) => number): number => median(xs.map(pick));

export interface Measured extends LoadResult {
  /** Server CPU time (all threads) per completed request, in microseconds. */
  cpuUsPerRequest: number;
}

/** Runs a load and charges the server's CPU time over it to the requests it completed. */
export async function withServerCpu(cpuSeconds: () => number, load: () => Promise<LoadResult>): Promise<Measured> {
  const before = cpuSeconds();
  const result = await load();
  return { ...result, cpuUsPerRequest: ((cpuSeconds() - before) * 1e6) / result.requests };
}

export const mib = (kb: number): string => `${fmt(kb / 1024, 1)} MiB`;

export interface ThroughputComparison {
  /** Median req/s of the baseline (a) and the candidate (b), and b / a. */
  base: number;
  cand: number;
  ratio: number;
  /** Median server CPU µs per request of a and b. */
  cpuA: number;
  cpuB: number;
  table: Table;
}

/**
 * The shape shared by the throughput benchmarks: warm both loads up, run them interleaved with
 * the server's CPU time charged to each, and tabulate req/s, p99 and CPU per round and the medians.
 * `labels` name the two sides in the progress log, `columns` in the table.
 */
export async function compareThroughput(
  settings: BenchSettings,
  cpuSeconds: () => number,
  sides: { labels: [string, string]; columns: [string, string] },
  a: (durationMs: number) => Promise<LoadResult>,
  b: (durationMs: number) => Promise<LoadResult>,
): Promise<ThroughputComparison> {
  settings.log('  warm-up');
  await a(settings.warmupMs);
  await b(settings.warmupMs);
  const r = await interleaved<Measured>(
    settings,
    sides.labels,
    () => withServerCpu(cpuSeconds, () => a(settings.roundMs)),
    () => withServerCpu(cpuSeconds, () => b(settings.roundMs)),
    (x) => `${describeLoad(x)}, server CPU ${fmt(x.cpuUsPerRequest)} µs/request`,
  );
  const base = medianOf(r.a, (x) => x.rps);
  const cand = medianOf(r.b, (x) => x.rps);
  const ratio = cand / base;
  const cpuA = medianOf(r.a, (x) => x.cpuUsPerRequest);
  const cpuB = medianOf(r.b, (x) => x.cpuUsPerRequest);
  const rows = r.a.map((x, i) => {
    const y = r.b[i]!;
    return [String(i + 1), fmt(x.rps), ms(x.p99), fmt(x.cpuUsPerRequest), fmt(y.rps), ms(y.p99), fmt(y.cpuUsPerRequest), fmt(y.rps / x.rps, 3)];
  });
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
  const [ca, cb] = sides.columns;
  const header = ['round', `${ca} req/s`, `${ca} p99`, `${ca} server CPU µs/req`, `${cb} req/s`, `${cb} p99`, `${cb} server CPU µs/req`, 'round ratio'];
  return { base, cand, ratio, cpuA, cpuB, table: { header, rows } };
}
