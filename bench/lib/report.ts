// bench/RESULTS.md: one section per benchmark (replaced when that benchmark is re-run, so a
// partial run keeps the others) and a history table that only grows, one row per benchmark run.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fmt, type BenchOutcome, type BenchSettings, type Table } from './bench.ts';

export interface Machine {
  cpus: string;
  cpuModel: string;
  node: string;
  date: string;
}

export function machineInfo(): Machine {
  let cpus: string;
  try {
    cpus = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    cpus = String(availableParallelism());
  }
  let cpuModel = 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: leave unknown
  }
  return { cpus, cpuModel, node: process.version, date: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
}

export const describeMachine = (m: Machine): string => `${m.cpus} CPUs (nproc), ${m.cpuModel}, Node ${m.node}`;

function markdownTable(t: Table): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(t.header), line(t.header.map(() => '---')), ...t.rows.map(line)].join('\n');
}

export interface RunRecord {
  name: string;
  outcome: BenchOutcome;
  machine: Machine;
  settings: Pick<BenchSettings, 'rounds' | 'roundMs' | 'warmupMs'>;
  note?: string;
}

function section(r: RunRecord): string {
  const o = r.outcome;
  const verdict = o.pass ? 'PASS' : 'FAIL';
  return [
    `<!-- bench:${r.name} -->`,
    `## ${r.name}: ${verdict}`,
    '',
    o.description,
    '',
    `Run ${r.machine.date} on ${describeMachine(r.machine)}; ${r.settings.rounds} interleaved rounds × ` +
      `${fmt(r.settings.roundMs / 1000, 1)} s per side after ${fmt(r.settings.warmupMs / 1000, 1)} s warm-up.` +
      (r.note ? ` Note: ${r.note}` : ''),
    '',
    markdownTable(o.table),
    '',
    `Ratio **${fmt(o.ratio, 3)}**, target ${o.target}: **${verdict}**.`,
    '',
    ...o.notes.map((n) => `- ${n}`),
    `<!-- /bench:${r.name} -->`,
  ].join('\n');
}

const HEADER = `# rackd benchmark results

Written by \`npm run bench\` (\`bench/run.ts\`); bench/README.md says what each benchmark measures.
Every number is a ratio against a baseline measured side by side in the same run, so results from
different machines compare by ratio only. Re-running a benchmark replaces its section; the history
at the end keeps one row per run.`;

const HISTORY_HEADER = '| date | benchmark | ratio | target | result | machine | note |\n| --- | --- | --- | --- | --- | --- | --- |';

export function updateResults(file: string, runs: RunRecord[]): void {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const sections = new Map<string, string>();
  for (const m of old.matchAll(/<!-- bench:([\w-]+) -->[\s\S]*?<!-- \/bench:\1 -->/g)) sections.set(m[1]!, m[0]);
  const historyAt = old.indexOf('## History');
  const history = historyAt < 0 ? [] : old.slice(historyAt).split('\n').filter((l) => /^\| \d{4}-/.test(l));
  for (const r of runs) {
    sections.set(r.name, section(r));
    history.push(
      `| ${r.machine.date} | ${r.name} | ${fmt(r.outcome.ratio, 3)} | ${r.outcome.target} | ${r.outcome.pass ? 'PASS' : 'FAIL'} | ` +
        `${describeMachine(r.machine)} | ${(r.note ?? '').replace(/\|/g, '/')} |`,
    );
  }
  const body = [HEADER, ...sections.values(), `## History\n\n${HISTORY_HEADER}\n${history.join('\n')}\n`].join('\n\n');
  writeFileSync(file, body);
}
