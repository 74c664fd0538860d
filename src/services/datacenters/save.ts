// Creates a datacenter (no id) or updates one partially (id given: fields not sent keep their value).
import { eq } from 'drizzle-orm';
import { SaveDatacenterInputSchema, type Datacenter } from '../../../schemas/datacenters.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { datacenters } from '../../db/schema/index.ts';
import { validationError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getDatacenterOrThrow, indexDatacenter, insertDatacenter, toDatacenter } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function saveDatacenter(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Datacenter> {
  const id = (raw as { id?: unknown })?.id;
  const action = typeof id === 'string' ? 'datacenter.update' : 'datacenter.create';
  return audited(env, ctx, { action, resource: 'datacenter', resourceId: typeof id === 'string' ? id : undefined }, (audit) => {
    requirePermission(ctx, action === 'datacenter.update' ? 'datacenter:update' : 'datacenter:create');
    const input = SaveDatacenterInputSchema.parse(raw);
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        if (input.id === undefined) {
          if (input.name === undefined) throw validationError('name', 'is required');
          const row = insertDatacenter(tx, now, { ...input, name: input.name });
          const out = toDatacenter(row);
          audit.record(tx, { resourceId: row.id, after: out });
          return out;
        }
        const before = getDatacenterOrThrow(tx, input.id);
        const row = {
          ...before,
          ...(input.name !== undefined && { name: input.name }),
          ...(input.location !== undefined && { location: input.location }),
          ...(input.description !== undefined && { description: input.description }),
          updatedAt: now,
        };
        tx.update(datacenters).set(row).where(eq(datacenters.id, input.id)).run();
        indexDatacenter(tx, row);
        const out = toDatacenter(row);
        audit.record(tx, { resourceId: row.id, before: toDatacenter(before), after: out });
        return out;
      });
  });
}
