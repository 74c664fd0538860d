import { RelationshipKeyInputSchema } from '../../../schemas/relationships.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { deviceRelationships } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { findRelationship, keyWhere, relationshipRef, toRelationship, type RelationshipKey } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Idempotent: deleting a relationship that does not exist succeeds with existed=false. */
export async function deleteRelationship(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'relationship.delete', resource: 'relationship' }, (audit) => {
    requirePermission(ctx, 'relationship:delete');
    const input: RelationshipKey = RelationshipKeyInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const before = findRelationship(tx, input);
        if (before) tx.delete(deviceRelationships).where(keyWhere(input)).run();
        audit.record(tx, { resourceId: relationshipRef(input), before: before ? toRelationship(before) : undefined });
        return { status: 'deleted' as const, ...input, existed: before !== undefined };
      });
  });
}
