// search-p95: full-text search over 100,000 devices must stay within 5× the p95 latency of a
// point lookup (GET /api/devices/{id}) on the same server in the same run. Three searches of
// different selectivity — one device by name, one rack, one role matching one device in eight —
// each against the same lookup; the verdict is the worst of the three.
import { fmt, interleaved, medianOf, mib, ms, type Benchmark } from './lib/bench.ts';
import { PROBE_DEVICE } from './device-get.ts';
import { SEARCH_TERMS, sharedInventory } from './lib/inventory.ts';
import { runLoad, type LoadResult } from './lib/load.ts';

const CONCURRENCY = 4;
const TARGET = 5;
const TERMS = ['selective', 'medium', 'broad'] as const;
type Term = (typeof TERMS)[number];

export const searchP95: Benchmark = {
  name: 'search-p95',
  async run(settings) {
    const inv = await sharedInventory(settings);
    inv.usedBy.push('search-p95');
    const { server } = inv;
    const headers = { authorization: `Bearer ${inv.key}` };
    const lookupPath = `/api/devices/${inv.ids[PROBE_DEVICE]!}`;
    const searchPath = (t: Term) => `/api/search?q=${encodeURIComponent(SEARCH_TERMS[t].q)}`;

    // Each search must find exactly the devices it should, so a fast empty answer cannot pass.
    for (const t of TERMS) {
      const page = await inv.api.call<{ items: { type: string; id: string; name: string }[]; total: number }>('GET', searchPath(t), undefined, 200);
      if (page.total !== SEARCH_TERMS[t].hits) throw new Error(`search ${SEARCH_TERMS[t].q}: total ${page.total}, expected ${SEARCH_TERMS[t].hits}`);
      if (page.items.length !== Math.min(50, SEARCH_TERMS[t].hits)) throw new Error(`search ${SEARCH_TERMS[t].q}: ${page.items.length} items on the first page`);
      if (t === 'selective' && page.items[0]!.id !== inv.ids[4216]) throw new Error(`search ${SEARCH_TERMS[t].q}: found ${page.items[0]!.name}`);
    }

    const rssBefore = server.rssKb();
    const lookup = (durationMs: number) => runLoad({ url: server.url, path: lookupPath, headers, concurrency: CONCURRENCY, durationMs });
    const searchOne = (t: Term, durationMs: number) => runLoad({ url: server.url, path: searchPath(t), headers, concurrency: CONCURRENCY, durationMs });
    const searches = async (durationMs: number) => {
      const out = {} as Record<Term, LoadResult>;
      for (const t of TERMS) out[t] = await searchOne(t, durationMs);
      return out;
    };
    settings.log('  warm-up');
    await lookup(settings.warmupMs);
    await searches(settings.warmupMs);
    const r = await interleaved<LoadResult | Record<Term, LoadResult>>(
      settings,
      ['lookup', 'searches'],
      () => lookup(settings.roundMs),
      () => searches(settings.roundMs),
      (x) =>
        'p95' in x
          ? `${fmt(x.rps)} req/s, p50 ${ms(x.p50)}, p95 ${ms(x.p95)}`
          : TERMS.map((t) => `${t} ${fmt(x[t].rps)} req/s p50 ${ms(x[t].p50)} p95 ${ms(x[t].p95)}`).join('; '),
    );
    const lookups = r.a as LoadResult[];
    const found = r.b as Record<Term, LoadResult>[];
    const baseP95 = medianOf(lookups, (x) => x.p95);
    const termP95 = Object.fromEntries(TERMS.map((t) => [t, medianOf(found, (x) => x[t].p95)])) as Record<Term, number>;
    const termRatio = Object.fromEntries(TERMS.map((t) => [t, termP95[t] / baseP95])) as Record<Term, number>;
    const ratio = Math.max(...TERMS.map((t) => termRatio[t]));

    const rows = lookups.map((a, i) => {
      const b = found[i]!;
      return [String(i + 1), ms(a.p50), ms(a.p95), ...TERMS.flatMap((t) => [ms(b[t].p95), fmt(b[t].p95 / a.p95, 2)])];
    });
    rows.push([
      '**median**',
      ms(medianOf(lookups, (x) => x.p50)),
      `**${ms(baseP95)}**`,
      ...TERMS.flatMap((t) => [`**${ms(termP95[t])}**`, `**${fmt(termRatio[t], 2)}**`]),
    ]);
    const label = (t: Term) => `\`${SEARCH_TERMS[t].q}\``;
    return {
      description:
        `p95 latency of \`GET /api/search?q=…\` (FTS5, first page of 50, admin API key) over the shared inventory of ` +
        `${fmt(inv.ids.length)} devices divided by the p95 of the point lookup \`GET /api/devices/{id}\`, ${CONCURRENCY} ` +
        `keep-alive connections, closed loop, each search and the lookup measured alternately on the same server. Terms: ` +
        `${label('selective')} (one device by name, ${SEARCH_TERMS.selective.hits} hit), ${label('medium')} (a rack: ` +
        `${fmt(SEARCH_TERMS.medium.hits)} hits), ${label('broad')} (a role: ${fmt(SEARCH_TERMS.broad.hits)} hits); each search's ` +
        `total was checked before measuring. Ratio = the largest of median(search p95) / median(lookup p95) over the three terms.`,
      target: `ratio ≤ ${TARGET}`,
      ratio,
      pass: ratio <= TARGET,
      table: {
        header: [
          'round',
          'lookup p50',
          'lookup p95',
          ...TERMS.flatMap((t) => [`${SEARCH_TERMS[t].q} p95`, `${SEARCH_TERMS[t].q} ratio`]),
        ],
        rows,
      },
      notes: [
        `Per term (median p95 ÷ lookup p95): ${TERMS.map((t) => `${label(t)} ${fmt(termRatio[t], 2)}`).join(', ')}; ` +
          `req/s (median): lookup ${fmt(medianOf(lookups, (x) => x.rps))}, ` +
          `${TERMS.map((t) => `${label(t)} ${fmt(medianOf(found, (x) => x[t].rps))}`).join(', ')}.`,
        `Server RSS (VmRSS): ${mib(rssBefore)} before, ${mib(server.rssKb())} after the benchmark.`,
      ],
    };
  },
};
