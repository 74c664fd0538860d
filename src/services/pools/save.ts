// Creates a pool under a network (no id) or updates one partially (id given). The range is
// checked against the network and the other pools of that network; the address space (claims
// and free ranges) follows the range in the same transaction.
import { and, eq, gte, lte, ne } from 'drizzle-orm';
import { SavePoolInputSchema, type PoolDetail } from '../../../schemas/pools.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { networkPools } from '../../db/schema/index.ts';
import { AppError, validationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getNetworkOrThrow } from '../networks/internal.ts';
import { adoptAddresses, getPoolOrThrow, poolDetail, setTags, tagsOf, toPool, validateRange, type PoolRange } from './internal.ts';
import { initPoolSpace, rebuildPoolSpace } from './space.ts';
import { syncWrite } from '../../db/sync-write.ts';

function assertNoOverlap(tx: DbOrTx, networkId: string, range: PoolRange, selfId?: string): void {
  const other = tx
    .select()
    .from(networkPools)
    .where(
      and(
        eq(networkPools.networkId, networkId),
        lte(networkPools.startHex, range.endHex),
        gte(networkPools.endHex, range.startHex),
        selfId ? ne(networkPools.id, selfId) : undefined,
      ),
    )
    .get();
  if (other) {
    throw new AppError('CONFLICT', `The range overlaps pool ${other.name} (${other.startIp}–${other.endIp}) of the same network`, {
      details: [{ field: 'start_ip', message: `overlaps pool ${other.id}` }],
    });
  }
}

export async function savePool(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<PoolDetail> {
  const id = (raw as { id?: unknown })?.id;
  const action = typeof id === 'string' ? 'pool.update' : 'pool.create';
  return audited(env, ctx, { action, resource: 'pool', resourceId: typeof id === 'string' ? id : undefined }, (audit) => {
    requirePermission(ctx, action === 'pool.update' ? 'pool:update' : 'pool:create');
    const input = SavePoolInputSchema.parse(raw);
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        if (input.id === undefined) {
          if (input.network_id === undefined) throw validationError('network_id', 'is required');
          if (input.name === undefined) throw validationError('name', 'is required');
          if (input.start_ip === undefined) throw validationError('start_ip', 'is required');
          if (input.end_ip === undefined) throw validationError('end_ip', 'is required');
          const network = getNetworkOrThrow(tx, input.network_id);
          const range = validateRange(network, input.start_ip, input.end_ip);
          assertNoOverlap(tx, network.id, range);
          const row = { id: newId(), networkId: network.id, name: input.name, ...range, description: input.description ?? '', createdAt: now, updatedAt: now };
          tx.insert(networkPools).values(row).run();
          setTags(tx, row.id, input.tags ?? []);
          initPoolSpace(tx, row.id, row.startHex, row.endHex);
          const adopted = adoptAddresses(tx, row, audit);
          const out = poolDetail(tx, row);
          audit.record(tx, { resourceId: row.id, after: out, extra: adopted ? { adopted_addresses: adopted } : undefined });
          return out;
        }
        const before = getPoolOrThrow(tx, input.id);
        if (input.network_id !== undefined && input.network_id !== before.networkId) {
          throw validationError('network_id', 'a pool cannot move to another network; create a new pool instead');
        }
        const beforeOut = toPool(before, tagsOf(tx, [before.id]).get(before.id)!);
        let row = { ...before };
        let adopted = 0;
        if (input.start_ip !== undefined || input.end_ip !== undefined) {
          const network = getNetworkOrThrow(tx, before.networkId);
          const range = validateRange(network, input.start_ip ?? before.startIp, input.end_ip ?? before.endIp);
          if (range.startHex !== before.startHex || range.endHex !== before.endHex) {
            assertNoOverlap(tx, network.id, range, before.id);
            rebuildPoolSpace(tx, before.id, range.startHex, range.endHex);
            row = { ...row, ...range };
            adopted = adoptAddresses(tx, row, audit);
          }
        }
        row = {
          ...row,
          ...(input.name !== undefined && { name: input.name }),
          ...(input.description !== undefined && { description: input.description }),
          updatedAt: now,
        };
        tx.update(networkPools).set(row).where(eq(networkPools.id, before.id)).run();
        if (input.tags !== undefined) setTags(tx, before.id, input.tags);
        const out = poolDetail(tx, row);
        audit.record(tx, { resourceId: row.id, before: beforeOut, after: out, extra: adopted ? { adopted_addresses: adopted } : undefined });
        return out;
      });
  });
}
