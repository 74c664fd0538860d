// Full-text search over devices, networks and datacenters (FTS5, prefix matching, BM25-ranked,
// paginated). Each kind is searched only when the caller may list it.
import { sql, type SQL } from 'drizzle-orm';
import { SearchInputSchema } from '../../../schemas/search.ts';
import { hasPermission, requireAuthenticated, type CallerContext } from '../../auth/context.ts';
import { AppError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import type { SearchKind } from './index-doc.ts';

const LIST_PERMISSION: Record<SearchKind, string> = { device: 'device:list', network: 'network:list', datacenter: 'datacenter:list' };

/** Each word becomes a quoted prefix term; FTS5 syntax in user input is never interpreted. */
export function toMatchExpression(query: string): string {
  const words = query.split(/\s+/).filter(Boolean).slice(0, 16);
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' AND ');
}

interface Row {
  kind: SearchKind;
  ref_id: string;
  rank: number;
  name: string | null;
  detail: string | null;
}

export async function search(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'search.query', resource: 'search', read: true }, () => {
    requireAuthenticated(ctx);
    const input = SearchInputSchema.parse(raw);
    const wanted = (input.types ?? (['device', 'network', 'datacenter'] as SearchKind[])).filter((k) => hasPermission(ctx, LIST_PERMISSION[k]));
    if (wanted.length === 0) {
      throw new AppError('FORBIDDEN', 'Forbidden: requires device:list, network:list or datacenter:list');
    }
    const window = pageWindow(input);
    const match = toMatchExpression(input.query);
    const kinds: SQL = sql.join(wanted.map((k) => sql`${k}`), sql`, `);
    const total = env.db.get<{ n: number }>(sql`
      SELECT count(*) AS n FROM search_index JOIN search_docs d ON d.rowid = search_index.rowid
      WHERE search_index MATCH ${match} AND d.kind IN (${kinds})`).n;
    const rows = env.db.all<Row>(sql`
      WITH hits AS (
        SELECT d.kind, d.ref_id, bm25(search_index, 10.0, 1.0) AS rank
        FROM search_index JOIN search_docs d ON d.rowid = search_index.rowid
        WHERE search_index MATCH ${match} AND d.kind IN (${kinds})
        ORDER BY rank, d.ref_id LIMIT ${window.limit} OFFSET ${window.offset})
      SELECT h.kind, h.ref_id, h.rank,
        COALESCE(dev.name, net.name, dc.name) AS name,
        CASE h.kind
          WHEN 'device' THEN trim(dev.hostname || ' · ' || dev.status, ' ·')
          WHEN 'network' THEN net.subnet || COALESCE(' · VLAN ' || net.vlan_id, '')
          ELSE dc.location END AS detail
      FROM hits h
      LEFT JOIN devices dev ON h.kind = 'device' AND dev.id = h.ref_id
      LEFT JOIN networks net ON h.kind = 'network' AND net.id = h.ref_id
      LEFT JOIN datacenters dc ON h.kind = 'datacenter' AND dc.id = h.ref_id
      ORDER BY h.rank, h.ref_id`);
    const items = rows
      .filter((r) => r.name !== null)
      .map((r) => ({ type: r.kind, id: r.ref_id, name: r.name!, detail: r.detail ?? '', rank: r.rank }));
    return page(items, total, window);
  });
}
