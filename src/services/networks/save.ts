// Creates a network (no id) or updates one partially (id given: fields not sent keep their value).
// The subnet is normalized to its network address; a subnet change must keep every pool inside.
import { and, count, eq, gt, lt, ne, or } from 'drizzle-orm';
import { SaveNetworkInputSchema, type Network } from '../../../schemas/networks.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { networkPools, networks } from '../../db/schema/index.ts';
import { AppError, validationError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { adoptAddresses, assertDatacenterExists, getNetworkOrThrow, indexNetwork, insertNetwork, parseSubnet, toNetwork, usableRange, type ParsedSubnet } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Pools must stay inside the usable range of the (new) subnet, in the same IP version. */
function assertPoolsFit(tx: DbOrTx, networkId: string, s: ParsedSubnet): void {
  const usable = usableRange(s);
  const outside = tx
    .select({ n: count() })
    .from(networkPools)
    .where(
      and(
        eq(networkPools.networkId, networkId),
        or(ne(networkPools.family, s.family), lt(networkPools.startHex, usable.startHex), gt(networkPools.endHex, usable.endHex)),
      ),
    )
    .get()!.n;
  if (outside > 0) {
    throw new AppError('CONFLICT', `${outside} pool(s) of this network would lie outside ${s.subnet}; shrink or delete them first`, {
      details: [{ field: 'subnet', message: `${outside} pool(s) outside the new subnet` }],
    });
  }
}

export async function saveNetwork(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Network> {
  const id = (raw as { id?: unknown })?.id;
  const action = typeof id === 'string' ? 'network.update' : 'network.create';
  return audited(env, ctx, { action, resource: 'network', resourceId: typeof id === 'string' ? id : undefined }, (audit) => {
    requirePermission(ctx, action === 'network.update' ? 'network:update' : 'network:create');
    const input = SaveNetworkInputSchema.parse(raw);
    const parsed = input.subnet !== undefined ? parseSubnet(input.subnet) : undefined;
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        if (input.datacenter_id) assertDatacenterExists(tx, input.datacenter_id);
        if (input.id === undefined) {
          if (input.name === undefined) throw validationError('name', 'is required');
          if (parsed === undefined) throw validationError('subnet', 'is required');
          const { row, adopted } = insertNetwork(tx, now, { ...input, name: input.name, subnet: parsed }, audit);
          const out = toNetwork(row);
          audit.record(tx, { resourceId: row.id, after: out, ...(adopted > 0 && { extra: { adopted_addresses: adopted } }) });
          return out;
        }
        const before = getNetworkOrThrow(tx, input.id);
        if (parsed && parsed.subnet !== before.subnet) assertPoolsFit(tx, before.id, parsed);
        const row = {
          ...before,
          ...(input.name !== undefined && { name: input.name }),
          ...(parsed && { subnet: parsed.subnet, family: parsed.family, prefix: parsed.prefix, startHex: parsed.startHex, endHex: parsed.endHex }),
          ...(input.vlan_id !== undefined && { vlanId: input.vlan_id }),
          ...(input.datacenter_id !== undefined && { datacenterId: input.datacenter_id }),
          ...(input.description !== undefined && { description: input.description }),
          updatedAt: now,
        };
        tx.update(networks).set(row).where(eq(networks.id, input.id)).run();
        indexNetwork(tx, row);
        const adopted = parsed && parsed.subnet !== before.subnet ? adoptAddresses(tx, row, audit) : 0;
        const out = toNetwork(row);
        audit.record(tx, { resourceId: row.id, before: toNetwork(before), after: out, ...(adopted > 0 && { extra: { adopted_addresses: adopted } }) });
        return out;
      });
  });
}
