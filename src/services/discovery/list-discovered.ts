import { and, asc, count, eq, getTableColumns, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { ListDiscoveredInputSchema } from '../../../schemas/discovery.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { discoveredDevices } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import { toDiscovered } from './internal.ts';

const { facts: factsColumn, ...listColumns } = getTableColumns(discoveredDevices);
const valid = sql`json_valid(${factsColumn})`;

/**
 * In address order within each network (ip_hex sorts numerically). A page leaves out the SNMP
 * interface and ARP tables of each host (up to 4096 rows each, hundreds of KB for a switch, times
 * 1000 rows a page), in SQL so they are never loaded, and gives their sizes instead
 * (facts.snmp.interface_count, facts.snmp.arp_count); discovery_get returns them whole.
 */
export async function listDiscovered(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'discovered_device.list', resource: 'discovered_device', read: true }, () => {
    requirePermission(ctx, 'discovery:list');
    const input = ListDiscoveredInputSchema.parse(raw);
    const window = pageWindow(input);
    const filters: SQL[] = [];
    if (input.network_id) filters.push(eq(discoveredDevices.networkId, input.network_id));
    if (input.promoted === true) filters.push(isNotNull(discoveredDevices.promotedToDeviceId));
    if (input.promoted === false) filters.push(isNull(discoveredDevices.promotedToDeviceId));
    const where = filters.length ? and(...filters) : undefined;
    const rows = env.db
      .select({
        ...listColumns,
        facts: sql<string>`CASE WHEN ${valid} THEN json_remove(${factsColumn}, '$.snmp.interfaces', '$.snmp.arp') ELSE '{}' END`,
        interfaceCount: sql<number | null>`CASE WHEN ${valid} THEN json_array_length(${factsColumn}, '$.snmp.interfaces') END`,
        arpCount: sql<number | null>`CASE WHEN ${valid} THEN json_array_length(${factsColumn}, '$.snmp.arp') END`,
      })
      .from(discoveredDevices)
      .where(where)
      .orderBy(asc(discoveredDevices.networkId), asc(discoveredDevices.ipHex))
      .limit(window.limit)
      .offset(window.offset)
      .all();
    const total = env.db.select({ n: count() }).from(discoveredDevices).where(where).get()!.n;
    const items = rows.map(({ interfaceCount, arpCount, ...row }) => {
      const d = toDiscovered(row);
      const snmp = d.facts.snmp as Record<string, unknown> | undefined;
      if (snmp && typeof snmp === 'object') {
        if (interfaceCount !== null) snmp.interface_count = interfaceCount;
        if (arpCount !== null) snmp.arp_count = arpCount;
      }
      return d;
    });
    return page(items, total, window);
  });
}
