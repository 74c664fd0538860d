// Wire contracts of device relationships (contains, connected_to, depends_on). Leaf module.
import { z } from 'zod';
import { IdSchema, plainText, TimestampSchema } from './common.ts';
import { DeviceSchema } from './devices.ts';
import { PageInputShape, pageOutput } from './paging.ts';

export const RELATIONSHIP_TYPES = ['contains', 'connected_to', 'depends_on'] as const;
export const RelationshipTypeSchema = z
  .enum(RELATIONSHIP_TYPES)
  .describe('contains (rack → server), connected_to, depends_on (parent needs child)');

export const RelationshipSchema = z
  .object({
    parent_id: IdSchema.describe('Parent device'),
    child_id: IdSchema.describe('Child device'),
    type: RelationshipTypeSchema,
    notes: z.string().describe('Notes'),
    created_at: TimestampSchema,
  })
  .describe('A directed relationship between two devices');
export type Relationship = z.infer<typeof RelationshipSchema>;

const Notes = plainText().max(4096).describe('Notes (≤4096 characters)');

export const AddRelationshipInputSchema = z
  .object({
    parent_id: IdSchema.describe('Parent device (must exist)'),
    child_id: IdSchema.describe('Child device (not the parent)'),
    type: RelationshipTypeSchema,
    notes: Notes.optional().describe('Notes'),
  })
  .strict();

export const RelationshipKeyInputSchema = z
  .object({ parent_id: IdSchema.describe('Parent device'), child_id: IdSchema.describe('Child device'), type: RelationshipTypeSchema })
  .strict();
export const UpdateRelationshipInputSchema = RelationshipKeyInputSchema.extend({ notes: Notes }).strict();

export const ListRelationshipsInputSchema = z
  .object({
    type: RelationshipTypeSchema.optional().describe('Only relationships of this type'),
    device_id: IdSchema.optional().describe('Only relationships of this device'),
    ...PageInputShape,
  })
  .strict();
export const DeviceRelationshipsInputSchema = z
  .object({ id: IdSchema.describe('Device id (must exist)'), type: RelationshipTypeSchema.optional().describe('Only this type'), ...PageInputShape })
  .strict();
export const RelationshipPageSchema = pageOutput(RelationshipSchema);

export const RelatedDevicesInputSchema = z
  .object({
    id: IdSchema.describe('Device id (must exist)'),
    type: RelationshipTypeSchema.optional().describe('Only through this type'),
    ...PageInputShape,
  })
  .strict();
export const RelatedDevicePageSchema = pageOutput(DeviceSchema);

export const RelationshipDeletedSchema = z.object({
  status: z.literal('deleted'),
  parent_id: IdSchema,
  child_id: IdSchema,
  type: RelationshipTypeSchema,
  existed: z.boolean().describe('False when there was nothing to delete (deleting is idempotent)'),
});
