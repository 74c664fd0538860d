// Dashboard figures, computed over every row with aggregate queries (never a capped list).
import { and, asc, count, eq, lt } from 'drizzle-orm';
import { DashboardInputSchema } from '../../../schemas/dashboard.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { datacenters, devices, networkPools, networks, reservations } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { networkUtilization, percent } from '../networks/internal.ts';

const DAY_MS = 86_400_000;

export async function getDashboard(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'dashboard.read', resource: 'dashboard', read: true }, () => {
    requirePermission(ctx, 'dashboard:read');
    const input = DashboardInputSchema.parse(raw);
    const { db } = env;
    const n = (table: typeof devices | typeof networks | typeof networkPools | typeof datacenters) => db.select({ n: count() }).from(table).get()!.n;
    const statusCounts = { planned: 0, active: 0, maintenance: 0, decommissioned: 0 };
    for (const r of db.select({ status: devices.status, n: count() }).from(devices).groupBy(devices.status).all()) statusCounts[r.status] = r.n;

    // One index range count per network; fine for thousands of networks, and exact.
    const uses = db.select().from(networks).all().map((row) => ({ row, u: networkUtilization(db, row) }));
    let v4Total = 0n;
    let v4Used = 0n;
    for (const { row, u } of uses) {
      if (row.family !== 4) continue;
      v4Total += BigInt(u.total_ips_exact);
      v4Used += BigInt(u.used_ips);
    }
    const fullest = uses
      .sort((a, b) => b.u.utilization - a.u.utilization || a.row.name.localeCompare(b.row.name))
      .slice(0, input.network_limit)
      .map(({ row, u }) => ({
        network_id: row.id,
        network_name: row.name,
        subnet: row.subnet,
        total_ips: u.total_ips,
        total_ips_exact: u.total_ips_exact,
        used_ips: u.used_ips,
        utilization: u.utilization,
      }));

    const cutoff = new Date(env.clock.now().getTime() - input.stale_days * DAY_MS).toISOString();
    const staleWhere = and(eq(devices.status, 'active'), lt(devices.updatedAt, cutoff));
    const staleCount = db.select({ n: count() }).from(devices).where(staleWhere).get()!.n;
    const staleList = db
      .select({ id: devices.id, name: devices.name, hostname: devices.hostname })
      .from(devices)
      .where(staleWhere)
      .orderBy(asc(devices.updatedAt))
      .limit(input.stale_limit)
      .all();

    return {
      total_devices: n(devices),
      total_networks: n(networks),
      total_pools: n(networkPools),
      total_datacenters: n(datacenters),
      total_reservations: db.select({ n: count() }).from(reservations).where(eq(reservations.status, 'active')).get()!.n,
      device_status_counts: statusCounts,
      overall_utilization: percent(v4Used, v4Total),
      ipv4_total_ips: Number(v4Total),
      ipv4_used_ips: Number(v4Used),
      network_utilization: fullest,
      stale_threshold_days: input.stale_days,
      stale_devices: staleCount,
      stale_device_list: staleList,
    };
  });
}
