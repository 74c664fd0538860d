// rss-100k: the server's resident memory with 100,000 devices, after the benchmarks that read
// them, must stay under 300 MB (10^6 bytes; 286.1 MiB). Measured on the shared inventory server
// after an idle period: under load V8 lets garbage pile up to several times the live heap before
// a full collection and keeps the space committed; only after 10–20 s idle does its memory
// reducer compact and give it back. So the verdict sample is taken after 60 s without requests,
// and RSS right after the load, the peak, at start-up and right after the fill are reported too.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, mib, type Benchmark } from './lib/bench.ts';
import { PROBE_DEVICE } from './device-get.ts';
import { quietRss, SEARCH_TERMS, sharedInventory } from './lib/inventory.ts';
import { runLoad } from './lib/load.ts';

const LIMIT_BYTES = 300e6;
const QUIET_MS = 60_000;

const mb = (kb: number) => `${fmt((kb * 1024) / 1e6, 1)} MB`;

function statusField(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** Bytes of the files in the server's DATA_DIR (database, WAL, keys), found through its environment. */
function dataDirBytes(pid: number): number {
  const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  const dir = env.find((e) => e.startsWith('DATA_DIR='))?.slice('DATA_DIR='.length);
  if (!dir) return NaN;
  let total = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) total += statSync(p).size;
    }
  };
  walk(dir);
  return total;
}

export const rss100k: Benchmark = {
  name: 'rss-100k',
  async run(settings) {
    const inv = await sharedInventory(settings);
    const { server } = inv;
    const before = [...inv.usedBy];
    if (before.length === 0) {
      // Run alone: give the server the same kinds of traffic the other benchmarks would have.
      settings.log('  no other benchmark used the inventory in this run: reading devices, MCP and search for a while first');
      const headers = { authorization: `Bearer ${inv.key}` };
      const ms = settings.roundMs * settings.rounds;
      const id = inv.ids[PROBE_DEVICE]!;
      await runLoad({ url: server.url, path: `/api/devices/${id}`, headers, concurrency: 8, durationMs: ms });
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'device_get', arguments: { id } } });
      await runLoad({
        url: server.url,
        path: '/mcp',
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
        body,
        concurrency: 8,
        durationMs: ms,
      });
      for (const t of Object.values(SEARCH_TERMS)) {
        await runLoad({ url: server.url, path: `/api/search?q=${encodeURIComponent(t.q)}`, headers, concurrency: 4, durationMs: ms / 3 });
      }
    }
    inv.usedBy.push('rss-100k');
    const afterLoad = server.rssKb();
    settings.log(`  quiet period ${QUIET_MS / 1000} s (no requests), sampling VmRSS every second`);
    const samples = await quietRss(server, QUIET_MS);
    const final = samples[samples.length - 1]!;
    const peak = statusField(server.pid, 'VmHWM');
    const ratio = (final * 1024) / LIMIT_BYTES;
    const row = (phase: string, kb: number) => [phase, mib(kb), mb(kb)];
    return {
      description:
        `Resident set size (VmRSS from /proc/<pid>/status) of the shared inventory server holding ${fmt(inv.ids.length)} devices ` +
        `(created with ${fmt(inv.fill.calls)} \`POST /api/devices/bulk\` calls), after ` +
        (before.length ? `the benchmarks that ran on it (${before.join(', ')})` : 'a mixed read load (device GET, MCP device_get, searches)') +
        ` and then ${QUIET_MS / 1000} s without requests. Ratio = RSS / 300 MB (10^6 bytes); the target is RSS < 300 MB.`,
      target: 'RSS < 300 MB (ratio < 1)',
      ratio,
      pass: final * 1024 < LIMIT_BYTES,
      table: {
        header: ['phase', 'VmRSS', 'VmRSS (10^6 bytes)'],
        rows: [
          row('after start-up, empty database (admin and API key created)', inv.rssEmptyKb),
          row(`after creating ${fmt(inv.ids.length)} devices`, inv.rssFilledKb),
          row('right after the benchmarks', afterLoad),
          row(`**after ${QUIET_MS / 1000} s quiet (verdict)**`, final),
          row('peak during the run (VmHWM)', peak),
        ],
      },
      notes: [
        `VmRSS during the quiet period, every 5 s: ${samples.filter((_, i) => i % 5 === 4).map((kb) => fmt(kb / 1024)).join(', ')} MiB ` +
          `(right after the load: ${fmt(afterLoad / 1024)} MiB` +
          (final < afterLoad * 0.9 ? `; the drop is V8's memory reducer compacting the heap once the server is idle).` : ').'),
        `At the verdict: RssAnon ${mib(statusField(server.pid, 'RssAnon'))} (JS heap, native allocations, SQLite page cache), ` +
          `RssFile ${mib(statusField(server.pid, 'RssFile'))} (mapped code and files), RssShmem ${mib(statusField(server.pid, 'RssShmem'))}.`,
        `Database files in DATA_DIR: ${fmt(dataDirBytes(server.pid) / 2 ** 20, 1)} MiB. ` +
          `Fill: ${fmt(inv.fill.devices)} devices in ${fmt(inv.fill.calls)} calls of ≤100, ${fmt(inv.fill.ms / 1000)} s.`,
      ],
    };
  },
};
