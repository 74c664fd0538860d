// Bulk network create and delete (REST only; Rackd's /api/networks/bulk), all-or-nothing like the
// device bulk operations. Each item goes through the network domain's own helpers (subnet
// parsing and normalization, datacenter check, search document), so a bulk-created network is
// validated exactly like one from network_save — Rackd skipped CIDR validation here.
import { BulkCreateNetworksInputSchema, BulkIdsInputSchema, type BulkResult } from '../../../schemas/devices.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { assertDatacenterExists, insertNetwork, parseSubnet, removeNetwork, toNetwork } from '../networks/internal.ts';
import { bulkResult, parseBulk, runItems } from './bulk-run.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function bulkCreateNetworks(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<BulkResult> {
  return audited(env, ctx, { action: 'network.bulk_create', resource: 'network' }, (audit) => {
    requirePermission(ctx, 'network:create');
    const input = parseBulk(BulkCreateNetworksInputSchema, raw);
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        const created = runItems(tx, 'networks', input.networks, (sp, item) => {
          const subnet = parseSubnet(item.subnet);
          if (item.datacenter_id) assertDatacenterExists(sp, item.datacenter_id);
          return toNetwork(insertNetwork(sp, now, { ...item, subnet }, audit).row);
        });
        audit.record(tx, { after: created, extra: { ids: created.map((n) => n.id) } });
        return bulkResult(created.map((n) => n.id));
      });
  });
}

/** As network_delete for each id: pools go with the network, device addresses are unlinked. */
export async function bulkDeleteNetworks(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<BulkResult> {
  return audited(env, ctx, { action: 'network.bulk_delete', resource: 'network' }, (audit) => {
    requirePermission(ctx, 'network:delete');
    const input = parseBulk(BulkIdsInputSchema, raw);
    return syncWrite(env, (tx) => {
        const ids = [...new Set(input.ids)];
        const deleted = runItems(tx, 'ids', ids, (sp, id) => removeNetwork(sp, id));
        audit.record(tx, { before: deleted, extra: { ids } });
        return bulkResult(ids);
      });
  });
}
