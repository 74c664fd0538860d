import { z } from 'zod';
import { displayText, IdSchema, plainText, TimestampSchema } from './common.ts';
import { PageInputShape, pageOutput } from './paging.ts';

export const DatacenterSchema = z
  .object({
    id: IdSchema,
    name: z.string().describe('Datacenter name'),
    location: z.string().describe('Free-text location, e.g. a city or address'),
    description: z.string(),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .describe('A datacenter or site');
export type Datacenter = z.infer<typeof DatacenterSchema>;

const Name = displayText().trim().min(1, 'is required').max(255).describe('Datacenter name');
const Location = displayText().trim().max(255).describe('Free-text location');
const Description = plainText().max(4096).describe('Description');

export const SaveDatacenterInputSchema = z
  .object({
    id: IdSchema.optional().describe('Give to update; omit to create'),
    name: Name.optional(),
    location: Location.optional(),
    description: Description.optional(),
  })
  .strict();

export const ListDatacentersInputSchema = z
  .object({ name: z.string().max(255).optional().describe('Substring of the name'), ...PageInputShape })
  .strict();
export const DatacenterPageSchema = pageOutput(DatacenterSchema);

