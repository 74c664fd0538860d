// Bulk network create and delete (REST only; Rackd's /api/networks/bulk), all-or-nothing like the
// device bulk operations. Each item goes through the network domain's own helpers (subnet
// parsing and normalization, datacenter check, search document), so a bulk-created network is
// validated exactly like one from network_save — Rackd skipped CIDR validation here.
import { eq } from 'drizzle-orm';
import { BulkCreateNetworksInputSchema, BulkIdsInputSchema, type BulkResult } from '../../../schemas/devices.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { networks } from '../../db/schema/index.ts';
import { newId } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { assertDatacenterExists, getNetworkOrThrow, indexNetwork, parseSubnet, toNetwork } from '../networks/internal.ts';
import { unindexDocument } from '../search/index-doc.ts';
import { bulkResult, parseBulk, runItems } from './bulk-run.ts';

type NetworkItem = ReturnType<typeof BulkCreateNetworksInputSchema.parse>['networks'][number];

function createNetworkTx(tx: DbOrTx, now: string, input: NetworkItem) {
  const parsed = parseSubnet(input.subnet);
  if (input.datacenter_id) assertDatacenterExists(tx, input.datacenter_id);
  const row = {
    id: newId(),
    name: input.name,
    subnet: parsed.subnet,
    family: parsed.family,
    prefix: parsed.prefix,
    startHex: parsed.startHex,
    endHex: parsed.endHex,
    vlanId: input.vlan_id ?? null,
    datacenterId: input.datacenter_id ?? null,
    description: input.description ?? '',
    createdAt: now,
    updatedAt: now,
  };
  tx.insert(networks).values(row).run();
  indexNetwork(tx, row);
  return toNetwork(row);
}

export async function bulkCreateNetworks(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<BulkResult> {
  return audited(env, ctx, { action: 'network.bulk_create', resource: 'network' }, (audit) => {
    requirePermission(ctx, 'network:create');
    const input = parseBulk(BulkCreateNetworksInputSchema, raw);
    const now = env.clock.now().toISOString();
    return env.db.transaction(
      (tx) => {
        const created = runItems(tx, 'networks', input.networks, (sp, item) => createNetworkTx(sp, now, item));
        audit.record(tx, { after: created, extra: { ids: created.map((n) => n.id) } });
        return bulkResult(created.map((n) => n.id));
      },
      { behavior: 'immediate' },
    );
  });
}

/** As network_delete for each id: pools go with the network, device addresses are unlinked. */
export async function bulkDeleteNetworks(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<BulkResult> {
  return audited(env, ctx, { action: 'network.bulk_delete', resource: 'network' }, (audit) => {
    requirePermission(ctx, 'network:delete');
    const input = parseBulk(BulkIdsInputSchema, raw);
    return env.db.transaction(
      (tx) => {
        const ids = [...new Set(input.ids)];
        const deleted = runItems(tx, 'ids', ids, (sp, id) => {
          const before = toNetwork(getNetworkOrThrow(sp, id));
          sp.delete(networks).where(eq(networks.id, id)).run();
          unindexDocument(sp, 'network', id);
          return before;
        });
        audit.record(tx, { before: deleted, extra: { ids } });
        return bulkResult(ids);
      },
      { behavior: 'immediate' },
    );
  });
}
