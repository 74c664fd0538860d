import { z } from 'zod';
import { IdSchema } from './common.ts';
import { PageInputShape, pageOutput } from './paging.ts';

export const SearchKindSchema = z.enum(['device', 'network', 'datacenter']);

export const SearchInputSchema = z
  .object({
    query: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(256)
      .describe('Words, each matched as a prefix ("web 10.0" finds web-01 at 10.0.0.5)'),
    types: z.array(SearchKindSchema).min(1).optional().describe('Only these kinds (default: all you may list)'),
    ...PageInputShape,
  })
  .strict();

export const SearchHitSchema = z
  .object({
    type: SearchKindSchema.describe('What was found'),
    id: IdSchema,
    name: z.string(),
    detail: z.string().describe('A short line to tell hits apart: hostname and status, subnet and VLAN, or location'),
    rank: z
      .number()
      .int()
      .describe('Relevance tier, lower is better: 0 the name starts with the query, 1 every word is in the name, 2 found in other fields'),
  })
  .describe('One search hit; fetch the full object with device_get, network_get or datacenter_get');

export const SearchPageSchema = pageOutput(SearchHitSchema);
