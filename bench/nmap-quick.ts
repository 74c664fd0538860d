// nmap-quick: a rackd quick scan (ports 22, 80, 443, 3389) of 127.1.0.0/16 against
// `nmap -sT -n -Pn -T4 -p 22,80,443,3389 127.1.0.0/16` on the same machine, interleaved round by
// round. Every loopback address answers (with a reset), so both find 65,536 / 65,534 hosts up and
// rackd writes every one of them. Each round's ratio is rackd's time over the nmap run right after
// it; targets: the median round ≤ 1.0 and the worst round ≤ 1.3 (steady, not just fast on
// average), with flat memory (server RSS after the last round within 64 MiB of after the first). rackd runs with
// reverse_dns=false, the equivalent of nmap's -n. nmap comes from Debian's packages; when it is
// missing and cannot be installed the benchmark is skipped with a message.
import { execFileSync, spawn } from 'node:child_process';
import { fmt, medianOf, mib, type Benchmark, type BenchOutcome } from './lib/bench.ts';
import { Api, sleep } from './lib/inventory.ts';
import { adminApiKey, startBenchServer } from './lib/server.ts';

const SUBNET = '127.1.0.0/16';
const PORTS = '22,80,443,3389';
const TARGET_MEDIAN = 1.0;
const TARGET_WORST = 1.3;
const FLAT_KIB = 64 * 1024;

function haveNmap(): boolean {
  try {
    execFileSync('nmap', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function ensureNmap(log: (l: string) => void): boolean {
  if (haveNmap()) return true;
  if (process.getuid?.() !== 0) return false;
  log('  nmap not found: apt-get install -y nmap');
  try {
    execFileSync('apt-get', ['install', '-y', '-qq', 'nmap'], { stdio: 'ignore', timeout: 300_000 });
  } catch {
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', timeout: 300_000 });
      execFileSync('apt-get', ['install', '-y', '-qq', 'nmap'], { stdio: 'ignore', timeout: 300_000 });
    } catch {
      return false;
    }
  }
  return haveNmap();
}

interface NmapRun {
  ms: number;
  up: number;
}

function runNmap(): Promise<NmapRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('nmap', ['-sT', '-n', '-Pn', '-T4', '-p', PORTS, SUBNET, '-oG', '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      const m = /\((\d+) hosts? up\)/.exec(out);
      if (code !== 0 || !m) return reject(new Error(`nmap exited ${code}: ${out.slice(-500)}`));
      resolve({ ms, up: Number(m[1]) });
    });
  });
}

interface RackdRun {
  /** POST to observed completion, as a client sees it. */
  ms: number;
  /** created_at → completed_at, as the server recorded it. */
  serverMs: number;
  found: number;
  total: number;
  peakRssKb: number;
  cpuS: number;
}

interface Scan {
  id: string;
  status: string;
  found_hosts: number;
  total_hosts: number;
  created_at: string;
  completed_at: string | null;
  error_message: string;
}

export const nmapQuick: Benchmark = {
  name: 'nmap-quick',
  async run(settings): Promise<BenchOutcome> {
    const skipped = (why: string): BenchOutcome => ({
      description: `Quick scan of ${SUBNET} by rackd versus nmap. **Skipped**: ${why}.`,
      target: `median round ≤ ${TARGET_MEDIAN}, worst ≤ ${TARGET_WORST}`,
      ratio: NaN,
      pass: true,
      table: { header: ['side', 'result'], rows: [['both', `skipped: ${why}`]] },
      notes: [],
    });
    if (!ensureNmap(settings.log)) return skipped('nmap is not installed and could not be installed (apt-get install nmap)');

    // DISCOVERY_MAX_CONCURRENT and DISCOVERY_PROBE_WORKERS from the bench's own environment, to
    // compare budgets and thread counts; the defaults otherwise.
    const budget = process.env.DISCOVERY_MAX_CONCURRENT;
    const threads = process.env.DISCOVERY_PROBE_WORKERS;
    const server = await startBenchServer({
      env: { LOG_LEVEL: 'warn', ...(budget && { DISCOVERY_MAX_CONCURRENT: budget }), ...(threads && { DISCOVERY_PROBE_WORKERS: threads }) },
      cpuProfDir: settings.cpuProfDir,
    });
    const knobs = `DISCOVERY_MAX_CONCURRENT=${budget ?? 'default'}, DISCOVERY_PROBE_WORKERS=${threads ?? 'default'}`;
    try {
      const api = new Api(server.url, await adminApiKey(server.url));
      const net = await api.call<{ id: string }>('POST', '/api/networks', { name: 'bench-loopback', subnet: SUBNET }, 201);
      const rssIdle = server.rssKb();
      settings.log(`  server RSS idle: ${mib(rssIdle)}; ${knobs}`);

      const rackd = async (): Promise<RackdRun> => {
        const cpu0 = server.cpuSeconds();
        const t0 = performance.now();
        const started = await api.call<Scan>('POST', `/api/discovery/networks/${net.id}/scan`, { scan_type: 'quick', reverse_dns: false }, 202);
        let peak = server.rssKb();
        let scan = started;
        while (scan.status === 'pending' || scan.status === 'running') {
          await sleep(50);
          peak = Math.max(peak, server.rssKb());
          scan = await api.call<Scan>('GET', `/api/discovery/scans/${started.id}`, undefined, 200);
        }
        const ms = performance.now() - t0;
        if (scan.status !== 'completed') throw new Error(`rackd scan ended ${scan.status}: ${scan.error_message}`);
        return {
          ms,
          serverMs: Date.parse(scan.completed_at!) - Date.parse(scan.created_at),
          found: scan.found_hosts,
          total: scan.total_hosts,
          peakRssKb: peak,
          cpuS: server.cpuSeconds() - cpu0,
        };
      };

      const rackdRuns: RackdRun[] = [];
      const nmapRuns: NmapRun[] = [];
      const afterRound: number[] = [];
      for (let i = 1; i <= settings.rounds; i++) {
        const r = await rackd();
        rackdRuns.push(r);
        afterRound.push(server.rssKb());
        settings.log(
          `  round ${i}/${settings.rounds} rackd: ${fmt(r.ms)} ms (server ${fmt(r.serverMs)} ms), ${fmt(r.found)}/${fmt(r.total)} up, ` +
            `CPU ${fmt(r.cpuS, 2)} s, peak RSS ${mib(r.peakRssKb)}`,
        );
        const n = await runNmap();
        nmapRuns.push(n);
        settings.log(`  round ${i}/${settings.rounds} nmap:  ${fmt(n.ms)} ms, ${fmt(n.up)} up; round ratio ${fmt(r.ms / n.ms, 3)}`);
      }
      await sleep(3000);
      const rssAfter = server.rssKb();
      const rackdMs = medianOf(rackdRuns, (r) => r.ms);
      const nmapMs = medianOf(nmapRuns, (r) => r.ms);
      const roundRatios = rackdRuns.map((r, i) => r.ms / nmapRuns[i]!.ms);
      const ratio = medianOf(roundRatios, (x) => x);
      const worst = Math.max(...roundRatios);
      const spread = (xs: number[]) => (Math.max(...xs) - Math.min(...xs)) / Math.min(...xs);
      const growth = afterRound[afterRound.length - 1]! - afterRound[0]!;
      const flat = growth <= FLAT_KIB;
      const peak = Math.max(...rackdRuns.map((r) => r.peakRssKb));
      return {
        description:
          `Wall time of a quick TCP connect scan (ports ${PORTS}) of ${SUBNET}: rackd (\`POST /api/discovery/networks/{id}/scan\` ` +
          `with scan_type=quick, reverse_dns=false, polled every 50 ms until completed; every host is stored as a discovered device) ` +
          `versus \`nmap -sT -n -Pn -T4 -p ${PORTS} ${SUBNET}\` right after it, round by round. Every loopback address answers with a reset, so every host is up. ` +
          `A round's ratio = rackd's time / that round's nmap time; targets: the median round ≤ ${TARGET_MEDIAN} and the worst round ≤ ${TARGET_WORST}, ` +
          `and memory must stay flat (server RSS after the last round at most ${mib(FLAT_KIB)} above after the first). ${knobs}.`,
        target: `median round ≤ ${TARGET_MEDIAN}, worst ≤ ${TARGET_WORST}, flat RSS`,
        ratio,
        pass: ratio <= TARGET_MEDIAN && worst <= TARGET_WORST && flat,
        table: {
          header: ['round', 'rackd (ms)', 'nmap (ms)', 'ratio'],
          rows: [
            ...rackdRuns.map((r, i) => [String(i + 1), fmt(r.ms), fmt(nmapRuns[i]!.ms), fmt(roundRatios[i]!, 3)]),
            ['median', fmt(rackdMs), fmt(nmapMs), `**${fmt(ratio, 3)}** (of the round ratios)`],
            ['worst', fmt(Math.max(...rackdRuns.map((r) => r.ms))), fmt(Math.max(...nmapRuns.map((r) => r.ms))), `**${fmt(worst, 3)}** (worst round ratio)`],
          ],
        },
        notes: [
          `Worst round ratio ${fmt(worst, 3)} (target ≤ ${TARGET_WORST}); median-time ratio ${fmt(rackdMs / nmapMs, 3)}. Spread (slowest / fastest − 1): rackd ${fmt(spread(rackdRuns.map((r) => r.ms)) * 100)}%, nmap ${fmt(spread(nmapRuns.map((r) => r.ms)) * 100)}%.`,
          `Hosts up: rackd ${rackdRuns.map((r) => fmt(r.found)).join(', ')} of ${fmt(rackdRuns[0]!.total)}; nmap ${nmapRuns.map((r) => fmt(r.up)).join(', ')} (nmap also counts the network and broadcast addresses).`,
          `rackd server time (created_at → completed_at), median ${fmt(medianOf(rackdRuns, (r) => r.serverMs))} ms; server CPU per scan median ${fmt(medianOf(rackdRuns, (r) => r.cpuS), 2)} s.`,
          `rackd server RSS: idle before ${mib(rssIdle)}, peak during scans ${mib(peak)}, after each round ${afterRound.map(mib).join(' → ')}, 3 s after the last ${mib(rssAfter)}; growth first → last round ${mib(growth)} (${flat ? 'flat' : 'NOT flat'}).`,
          `Round 1 inserts 65,534 discovered devices (audited as discovery.device_found entries, one per write batch listing its new hosts); later rounds update them in place.`,
        ],
      };
    } finally {
      await server.stop();
    }
  },
};
