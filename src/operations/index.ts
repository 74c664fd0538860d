// The operation catalogue: every externally callable inventory/IPAM operation, once.
import { dashboardOperations } from './dashboard.ts';
import { datacenterOperations } from './datacenters.ts';
import { deviceOperations } from './devices.ts';
import { discoveryOperations } from './discovery.ts';
import { relationshipOperations } from './relationships.ts';
import { searchOperations } from './search.ts';
import { networkOperations } from './networks.ts';
import { poolOperations } from './pools.ts';
import { reservationOperations } from './reservations.ts';
import { credentialOperations } from './credentials.ts';
import { discoveryRuleOperations } from './discovery-rules.ts';
import { scanProfileOperations } from './scan-profiles.ts';
import { scheduledScanOperations } from './scheduled-scans.ts';
import type { Operation } from './types.ts';
import { webhookOperations } from './webhooks.ts';

export const OPERATIONS: readonly Operation[] = [
  ...datacenterOperations,
  ...deviceOperations,
  ...relationshipOperations,
  ...networkOperations,
  ...poolOperations,
  ...reservationOperations,
  ...searchOperations,
  ...dashboardOperations,
  ...discoveryOperations,
  ...webhookOperations,
  ...credentialOperations,
  ...scanProfileOperations,
  ...scheduledScanOperations,
  ...discoveryRuleOperations,
] as unknown as readonly Operation[];
