// device_list and the device lists scoped to a datacenter or a network: one filter builder, one
// page query sorted by name, children loaded in batches for the page only.
import { and, asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { ListDevicesInputSchema, type ListDevicesInput } from '../../../schemas/devices.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { devices } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import { searchWords, toMatchExpression } from '../search/search.ts';
import { toDevices } from './internal.ts';

export const STALE_DAYS_DEFAULT = 7;
const DAY_MS = 86_400_000;

type Filters = Omit<ListDevicesInput, 'limit' | 'cursor' | 'offset' | 'sort'>;

const SORT_COLUMNS = { name: devices.name, hostname: devices.hostname, status: devices.status, created_at: devices.createdAt, updated_at: devices.updatedAt } as const;

/**
 * Stale (until discovery records when a device was last seen): status active and not updated
 * for `stale_days` days (default 7). `stale=true` or giving `stale_days` turns the filter on.
 */
export function deviceFilters(f: Filters, now: Date): SQL | undefined {
  const conds: SQL[] = [];
  if (f.query !== undefined && searchWords(f.query).length === 0) conds.push(sql`0`);
  else if (f.query) {
    conds.push(sql`${devices.id} IN (SELECT d.ref_id FROM search_index JOIN search_docs d ON d.rowid = search_index.rowid
      WHERE search_index MATCH ${toMatchExpression(f.query)} AND d.kind = 'device')`);
  }
  for (const tag of new Set(f.tags ?? [])) {
    conds.push(sql`EXISTS (SELECT 1 FROM device_tags t WHERE t.device_id = ${devices.id} AND t.tag = ${tag})`);
  }
  if (f.datacenter_id) conds.push(eq(devices.datacenterId, f.datacenter_id));
  if (f.network_id) conds.push(sql`EXISTS (SELECT 1 FROM addresses a WHERE a.device_id = ${devices.id} AND a.network_id = ${f.network_id})`);
  if (f.pool_id) conds.push(sql`EXISTS (SELECT 1 FROM addresses a WHERE a.device_id = ${devices.id} AND a.pool_id = ${f.pool_id})`);
  if (f.status) conds.push(eq(devices.status, f.status));
  const stale = f.stale === true || (f.stale === undefined && f.stale_days !== undefined);
  if (stale) {
    const cutoff = new Date(now.getTime() - (f.stale_days ?? STALE_DAYS_DEFAULT) * DAY_MS).toISOString();
    conds.push(and(eq(devices.status, 'active'), sql`${devices.updatedAt} < ${cutoff}`)!);
  }
  return conds.length ? and(...conds) : undefined;
}

export function pageOfDevices(db: DbOrTx, where: SQL | undefined, input: { limit: number; cursor?: string; offset?: number; sort?: ListDevicesInput['sort'] }) {
  const window = pageWindow(input);
  const sort = input.sort ?? 'name';
  const key = sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS;
  const dir = sort.startsWith('-') ? desc : asc;
  // Ties (same hostname, status …) fall back to name then id, so pages never overlap.
  const order = key === 'name' ? [dir(devices.name), dir(devices.id)] : [dir(SORT_COLUMNS[key]), asc(devices.name), asc(devices.id)];
  const rows = db.select().from(devices).where(where).orderBy(...order).limit(window.limit).offset(window.offset).all();
  const total = db.select({ n: count() }).from(devices).where(where).get()!.n;
  return page(toDevices(db, rows), total, window);
}

export async function listDevices(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'device.list', resource: 'device', read: true }, () => {
    requirePermission(ctx, 'device:list');
    const input = ListDevicesInputSchema.parse(raw);
    return pageOfDevices(env.db, deviceFilters(input, env.clock.now()), input);
  });
}
