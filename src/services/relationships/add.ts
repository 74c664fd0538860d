// device_add_relationship: links two existing, distinct devices. Adding a relationship that
// already exists updates its notes (when sent) instead of failing.
import { AddRelationshipInputSchema, type Relationship } from '../../../schemas/relationships.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { deviceRelationships } from '../../db/schema/index.ts';
import { validationError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import { getDeviceRowOrThrow } from '../devices/internal.ts';
import type { ServiceEnv } from '../env.ts';
import { findRelationship, keyWhere, relationshipRef, toRelationship } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function addRelationship(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Relationship> {
  return audited(env, ctx, { action: 'relationship.create', resource: 'relationship' }, (audit) => {
    requirePermission(ctx, 'relationship:create');
    const input = AddRelationshipInputSchema.parse(raw);
    if (input.parent_id === input.child_id) throw validationError('child_id', 'must differ from parent_id (a device cannot relate to itself)');
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        getDeviceRowOrThrow(tx, input.parent_id, 'parent_id');
        getDeviceRowOrThrow(tx, input.child_id, 'child_id');
        const existing = findRelationship(tx, input);
        if (existing) {
          if (input.notes !== undefined) tx.update(deviceRelationships).set({ notes: input.notes }).where(keyWhere(input)).run();
          const after = toRelationship(findRelationship(tx, input)!);
          audit.record(tx, { resourceId: relationshipRef(input), before: toRelationship(existing), after });
          return after;
        }
        const row = { parentId: input.parent_id, childId: input.child_id, type: input.type, notes: input.notes ?? '', createdAt: now };
        tx.insert(deviceRelationships).values(row).run();
        const after = toRelationship(row);
        audit.record(tx, { resourceId: relationshipRef(input), after });
        return after;
      });
  });
}
