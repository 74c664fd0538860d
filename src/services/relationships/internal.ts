// Shared pieces of the relationship domain.
import { and, eq } from 'drizzle-orm';
import type { Relationship } from '../../../schemas/relationships.ts';
import type { DbOrTx } from '../../db/client.ts';
import { deviceRelationships } from '../../db/schema/index.ts';

export type RelationshipRow = typeof deviceRelationships.$inferSelect;
export type RelationshipKey = Pick<Relationship, 'parent_id' | 'child_id' | 'type'>;

export const toRelationship = (r: RelationshipRow): Relationship => ({
  parent_id: r.parentId,
  child_id: r.childId,
  type: r.type,
  notes: r.notes,
  created_at: r.createdAt,
});

export const keyWhere = (k: RelationshipKey) =>
  and(eq(deviceRelationships.parentId, k.parent_id), eq(deviceRelationships.childId, k.child_id), eq(deviceRelationships.type, k.type));

export const findRelationship = (db: DbOrTx, k: RelationshipKey): RelationshipRow | undefined =>
  db.select().from(deviceRelationships).where(keyWhere(k)).get();

/** The audit resource id of a relationship (it has no id of its own). */
export const relationshipRef = (k: RelationshipKey): string => `${k.parent_id}/${k.child_id}/${k.type}`;
