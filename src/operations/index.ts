// The operation catalogue: every externally callable inventory/IPAM operation, once.
import { dashboardOperations } from './dashboard.ts';
import { datacenterOperations } from './datacenters.ts';
import { deviceOperations } from './devices.ts';
import { relationshipOperations } from './relationships.ts';
import { searchOperations } from './search.ts';
import { networkOperations } from './networks.ts';
import { poolOperations } from './pools.ts';
import { reservationOperations } from './reservations.ts';
import type { Operation } from './types.ts';

export const OPERATIONS: readonly Operation[] = [
  ...datacenterOperations,
  ...deviceOperations,
  ...relationshipOperations,
  ...networkOperations,
  ...poolOperations,
  ...reservationOperations,
  ...searchOperations,
  ...dashboardOperations,
] as unknown as readonly Operation[];
