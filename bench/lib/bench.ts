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

/** One side of a throughput comparison: a load, and the CPU clock of the process serving it. */
export interface Side {
  /** Name in the progress log. */
  label: string;
  /** Name in the table's column headers. */
  column: string;
  load: (durationMs: number) => Promise<LoadResult>;
  cpuSeconds: () => number;
}

export interface SideMedians {
  rps: number;
  p99: number;
  /** Server CPU µs per request. */
  cpu: number;
}

export interface ThroughputComparison {
  /** Medians over rounds, one per side, in the order given. */
  medians: SideMedians[];
  table: Table;
}

/**
 * The shape shared by the throughput benchmarks: warm every load up, run them round by round
 * (A B C, A B C, …) with the serving process's CPU time charged to each, and tabulate req/s, p99
 * and CPU per round and the medians, plus the round ratios named in `ratios` ([numerator,
 * denominator] side indexes, e.g. candidate ÷ bare Hono).
 */
export async function compareThroughput(settings: BenchSettings, sides: Side[], ratios: Array<[number, number]>): Promise<ThroughputComparison> {
  settings.log('  warm-up');
  for (const side of sides) await side.load(settings.warmupMs);
  const rounds: Measured[][] = sides.map(() => []);
  for (let i = 1; i <= settings.rounds; i++) {
    for (const [k, side] of sides.entries()) {
      const x = await withServerCpu(side.cpuSeconds, () => side.load(settings.roundMs));
      settings.log(`  round ${i}/${settings.rounds} ${side.label}: ${describeLoad(x)}, server CPU ${fmt(x.cpuUsPerRequest)} µs/request`);
      rounds[k]!.push(x);
    }
  }
  const medians = rounds.map((r) => ({ rps: medianOf(r, (x) => x.rps), p99: medianOf(r, (x) => x.p99), cpu: medianOf(r, (x) => x.cpuUsPerRequest) }));
  const rows = Array.from({ length: settings.rounds }, (_, i) => [
    String(i + 1),
    ...rounds.flatMap((r) => [fmt(r[i]!.rps), ms(r[i]!.p99), fmt(r[i]!.cpuUsPerRequest)]),
    ...ratios.map(([n, d]) => fmt(rounds[n]![i]!.rps / rounds[d]![i]!.rps, 3)),
  ]);
  rows.push([
    '**median**',
    ...medians.flatMap((m) => [`**${fmt(m.rps)}**`, ms(m.p99), fmt(m.cpu)]),
    ...ratios.map(([n, d]) => `**${fmt(medians[n]!.rps / medians[d]!.rps, 3)}**`),
  ]);
  const header = [
    'round',
    ...sides.flatMap((s) => [`${s.column} req/s`, `${s.column} p99`, `${s.column} server CPU µs/req`]),
    ...ratios.map(([n, d]) => `${sides[n]!.column} ÷ ${sides[d]!.column}`),
  ];
  return { medians, table: { header, rows } };
}
