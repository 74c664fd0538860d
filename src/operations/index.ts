// The operation catalogue: every externally callable inventory/IPAM operation, once.
import { datacenterOperations } from './datacenters.ts';
import type { Operation } from './types.ts';

export const OPERATIONS: readonly Operation[] = [...datacenterOperations] as unknown as readonly Operation[];
