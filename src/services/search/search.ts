// Full-text search over devices, networks and datacenters: FTS5, every word a prefix, ranked in
// tiers, paginated. Each kind is searched only when the caller may list it.
//
// Ranking. Hits come in three tiers, each in index order (the order objects were first indexed):
//   0  the name starts with the query          search_names MATCH ^"w1 w2"*
//   1  every word is in the name               search_names MATCH "w1"* AND "w2"*, minus tier 0
//   2  the words are found in other fields     search_index MATCH "w1"* AND "w2"*, minus tier 1
// BM25 was used before and dropped: FTS5's bm25() computes each term's document frequency by
// walking the term's whole doclist, so a word held by an eighth of 100,000 devices cost ~20 ms
// however small the page (bench/search-p95). Each tier here is read in rowid order and stops at
// the page, so a page costs what it returns, plus one count for `total`, which walks the matches
// in C (~1.5 ms per 10,000). Names have their own index (search_names) because a column filter
// on search_index would walk every document holding the words in any column.
import { SearchInputSchema } from '../../../schemas/search.ts';
import { hasPermission, requireAuthenticated, type CallerContext } from '../../auth/context.ts';
import type { Permission } from '../../auth/permissions.ts';
import type { Db } from '../../db/client.ts';
import { perDb } from '../../db/prepared.ts';
import { AppError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import type { SearchKind } from './index-doc.ts';

const KINDS: SearchKind[] = ['device', 'network', 'datacenter'];
const LIST_PERMISSION: Record<SearchKind, Permission> = { device: 'device:list', network: 'network:list', datacenter: 'datacenter:list' };
const MAX_WORDS = 16;

/**
 * The words of a query. Control characters separate words like spaces: inside an FTS5 string a
 * NUL ends the expression ("unterminated string"), and no indexed text holds one anyway.
 */
export const searchWords = (query: string): string[] => query.split(/[\s\p{Cc}]+/u).filter(Boolean).slice(0, MAX_WORDS);
const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** Each word becomes a quoted prefix term; FTS5 syntax in user input is never interpreted. Callers skip a query without words. */
export function toMatchExpression(query: string): string {
  return searchWords(query)
    .map((w) => `${quote(w)}*`)
    .join(' AND ');
}

/** The whole query as one phrase anchored at the start of the name, its last word a prefix. */
export const toAnchoredExpression = (query: string): string => `^${quote(searchWords(query).join(' '))}*`;

/**
 * The SQL of one search, per set of kinds searched. `@match` is the match expression,
 * `@anchored` the anchored one. With every kind wanted no join is needed; a
 * kind filter joins search_docs, the FTS table first (CROSS JOIN fixes the order: driving from
 * search_docs would evaluate the MATCH once per document).
 */
function buildStatements(client: Db['$client'], kinds: SearchKind[]) {
  const all = kinds.length === KINDS.length;
  const from = (table: string) =>
    all ? `FROM ${table} f WHERE ${table} MATCH` : `FROM ${table} f CROSS JOIN search_docs d ON d.rowid = f.rowid WHERE d.kind IN (${kinds.map((k) => `'${k}'`).join(', ')}) AND ${table} MATCH`;
  const tiers = [
    `SELECT f.rowid AS id ${from('search_names')} @anchored`,
    `SELECT f.rowid AS id ${from('search_names')} @match AND f.rowid NOT IN (SELECT rowid FROM search_names WHERE search_names MATCH @anchored)`,
    `SELECT f.rowid AS id ${from('search_index')} @match AND f.rowid NOT IN (SELECT rowid FROM search_names WHERE search_names MATCH @match)`,
  ];
  return {
    total: client.prepare(`SELECT count(*) ${from('search_index')} @match`).pluck(),
    tierPage: tiers.map((t) => client.prepare(`${t} ORDER BY f.rowid LIMIT @limit OFFSET @offset`).pluck()),
    tierCount: tiers.map((t) => client.prepare(`SELECT count(*) FROM (${t})`).pluck()),
  };
}

type Statements = ReturnType<typeof buildStatements>;
/** Per connection: the statements of each set of kinds searched, built on first use. */
const statementsByKinds = perDb((_db: Db) => new Map<string, Statements>());

function statementsFor(db: Db, kinds: SearchKind[]): Statements {
  const byKinds = statementsByKinds(db);
  const key = kinds.join(',');
  let st = byKinds.get(key);
  if (!st) byKinds.set(key, (st = buildStatements(db.$client, kinds)));
  return st;
}

interface Hit {
  rowid: number;
  rank: number;
}

/** The page of hits across the tiers; a tier is counted only when the page starts past it. */
function pageOfHits(st: Statements, params: { match: string; anchored: string }, window: { limit: number; offset: number }): Hit[] {
  const hits: Hit[] = [];
  let offset = window.offset;
  for (let tier = 0; tier < st.tierPage.length && hits.length < window.limit; tier++) {
    const ids = st.tierPage[tier]!.all({ ...params, limit: window.limit - hits.length, offset }) as number[];
    if (ids.length > 0) {
      for (const rowid of ids) hits.push({ rowid, rank: tier });
      offset = 0;
    } else if (offset > 0) {
      offset = Math.max(0, offset - (st.tierCount[tier]!.get(params) as number));
    }
  }
  return hits;
}

const detailsSql = `
  SELECT d.rowid, d.kind, d.ref_id,
    COALESCE(dev.name, net.name, dc.name) AS name,
    CASE d.kind
      WHEN 'device' THEN trim(dev.hostname || ' · ' || dev.status, ' ·')
      WHEN 'network' THEN net.subnet || COALESCE(' · VLAN ' || net.vlan_id, '')
      ELSE dc.location END AS detail
  FROM search_docs d
  LEFT JOIN devices dev ON d.kind = 'device' AND dev.id = d.ref_id
  LEFT JOIN networks net ON d.kind = 'network' AND net.id = d.ref_id
  LEFT JOIN datacenters dc ON d.kind = 'datacenter' AND dc.id = d.ref_id
  WHERE d.rowid IN (SELECT value FROM json_each(?))`;
const detailsStatement = perDb((db: Db) => db.$client.prepare(detailsSql));

interface DetailRow {
  rowid: number;
  kind: SearchKind;
  ref_id: string;
  name: string | null;
  detail: string | null;
}

function details(db: Db, hits: Hit[]): Map<number, DetailRow> {
  if (hits.length === 0) return new Map();
  const rows = detailsStatement(db).all(JSON.stringify(hits.map((h) => h.rowid))) as DetailRow[];
  return new Map(rows.map((r) => [r.rowid, r]));
}

export async function search(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'search.query', resource: 'search', read: true }, () => {
    requireAuthenticated(ctx);
    const input = SearchInputSchema.parse(raw);
    const wanted = KINDS.filter((k) => (input.types ?? KINDS).includes(k) && hasPermission(ctx, LIST_PERMISSION[k]));
    if (wanted.length === 0) {
      throw new AppError('FORBIDDEN', 'Forbidden: requires device:list, network:list or datacenter:list');
    }
    const window = pageWindow(input);
    if (searchWords(input.query).length === 0) return page([], 0, window);
    const st = statementsFor(env.db, wanted);
    const params = { match: toMatchExpression(input.query), anchored: toAnchoredExpression(input.query) };
    const hits = pageOfHits(st, params, window);
    // A short first page is the whole result: no need to count.
    const total = window.offset === 0 && hits.length < window.limit ? hits.length : (st.total.get(params) as number);
    const byRowid = details(env.db, hits);
    const items = hits.flatMap((h) => {
      const r = byRowid.get(h.rowid);
      if (!r || r.name === null) return [];
      return [{ type: r.kind, id: r.ref_id, name: r.name, detail: r.detail ?? '', rank: h.rank }];
    });
    return page(items, total, window);
  });
}
