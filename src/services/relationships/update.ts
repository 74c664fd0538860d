import { UpdateRelationshipInputSchema, type Relationship } from '../../../schemas/relationships.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { deviceRelationships } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { findRelationship, keyWhere, relationshipRef, toRelationship, type RelationshipKey } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Changes the notes of an existing relationship; NOT_FOUND when there is none (Rackd answered 204 regardless). */
export async function updateRelationship(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Relationship> {
  const k = (raw ?? {}) as Partial<RelationshipKey>;
  const ref = typeof k.parent_id === 'string' ? relationshipRef(k as RelationshipKey) : undefined;
  return audited(env, ctx, { action: 'relationship.update', resource: 'relationship', resourceId: ref }, (audit) => {
    requirePermission(ctx, 'relationship:update');
    const input = UpdateRelationshipInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const before = findRelationship(tx, input);
        if (!before) throw new AppError('NOT_FOUND', `Relationship not found: ${relationshipRef(input)}`);
        tx.update(deviceRelationships).set({ notes: input.notes }).where(keyWhere(input)).run();
        const after = toRelationship({ ...before, notes: input.notes });
        audit.record(tx, { resourceId: relationshipRef(input), before: toRelationship(before), after });
        return after;
      });
  });
}
