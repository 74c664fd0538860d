// The operation catalogue: every externally callable inventory/IPAM operation, once.
import { datacenterOperations } from './datacenters.ts';
import { searchOperations } from './search.ts';
import type { Operation } from './types.ts';

export const OPERATIONS: readonly Operation[] = [
  ...datacenterOperations,
  ...searchOperations,
] as unknown as readonly Operation[];
