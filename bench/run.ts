// `npm run bench [-- name...] [--rounds N] [--seconds S] [--warmup S] [--cpu-prof DIR] [--note TEXT] [--no-write]`
// Runs all or the named benchmarks one after another (never in parallel: they would measure
// each other) and records the results in bench/RESULTS.md. Exit code 1 if any target fails.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { allocateScale } from './allocate-scale.ts';
import { authMe } from './auth-me.ts';
import { deviceGet } from './device-get.ts';
import { healthz } from './healthz.ts';
import { fmt, type Benchmark, type BenchSettings } from './lib/bench.ts';
import { stopSharedInventory } from './lib/inventory.ts';
import { describeMachine, machineInfo, updateResults, type RunRecord } from './lib/report.ts';
import { ROOT } from './lib/server.ts';
import { loginP99 } from './login-p99.ts';
import { mcpVsRest } from './mcp-vs-rest.ts';
import { nmapQuick } from './nmap-quick.ts';
import { rss100k } from './rss-100k.ts';
import { searchP95 } from './search-p95.ts';
import { uiLoad } from './ui-load.ts';

// device-get, mcp-vs-rest, search-p95, ui-load and rss-100k share one server holding 100,000 devices
// (bench/lib/inventory.ts); rss-100k stays last so it measures after the others.
const BENCHMARKS: Benchmark[] = [healthz, authMe, loginP99, allocateScale, nmapQuick, deviceGet, mcpVsRest, searchP95, uiLoad, rss100k];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    'cpu-prof': { type: 'string' },
    note: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});

const unknown = positionals.filter((n) => !BENCHMARKS.some((b) => b.name === n));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = positionals.length ? BENCHMARKS.filter((b) => positionals.includes(b.name)) : BENCHMARKS;
const settings: BenchSettings = {
  rounds: Number(values.rounds),
  roundMs: Number(values.seconds) * 1000,
  warmupMs: Number(values.warmup) * 1000,
  cpuProfDir: values['cpu-prof'],
  log: (line) => console.log(line),
};
if (!(settings.rounds >= 1 && settings.roundMs > 0 && settings.warmupMs >= 0)) {
  console.error('--rounds must be ≥ 1, --seconds > 0, --warmup ≥ 0');
  process.exit(2);
}

const machine = machineInfo();
console.log(`machine: ${describeMachine(machine)}`);
const records: RunRecord[] = [];
try {
  for (const bench of selected) {
    console.log(`\n${bench.name}`);
    const outcome = await bench.run(settings);
    const rec: RunRecord = { name: bench.name, outcome, machine: { ...machine, date: machineInfo().date }, settings, note: values.note };
    records.push(rec);
    console.log(`${bench.name}: ratio ${fmt(outcome.ratio, 3)} (target ${outcome.target}) ${outcome.pass ? 'PASS' : 'FAIL'}`);
    for (const n of outcome.notes) console.log(`  ${n}`);
  }
} finally {
  await stopSharedInventory();
}

if (!values['no-write']) {
  const file = join(ROOT, 'bench/RESULTS.md');
  updateResults(file, records);
  console.log(`\nwrote ${file}`);
}
process.exitCode = records.some((r) => !r.outcome.pass) ? 1 : 0;
