// The operation catalogue: every externally callable operation, once. REST routes, MCP tools,
// OpenAPI, tools.json, the docs' tables and the security matrix are all generated from it.
import { apiKeyOperations } from './api-keys.ts';
import { auditOperations } from './audit.ts';
import { authOperations } from './auth.ts';
import { credentialOperations } from './credentials.ts';
import { dashboardOperations } from './dashboard.ts';
import { datacenterOperations } from './datacenters.ts';
import { deviceOperations } from './devices.ts';
import { discoveryRuleOperations } from './discovery-rules.ts';
import { discoveryOperations } from './discovery.ts';
import { networkOperations } from './networks.ts';
import { oauthOperations } from './oauth.ts';
import { poolOperations } from './pools.ts';
import { relationshipOperations } from './relationships.ts';
import { reservationOperations } from './reservations.ts';
import { roleOperations } from './roles.ts';
import { scanProfileOperations } from './scan-profiles.ts';
import { scheduledScanOperations } from './scheduled-scans.ts';
import { searchOperations } from './search.ts';
import { setupOperations } from './setup.ts';
import type { Operation } from './types.ts';
import { userOperations } from './users.ts';
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
  ...authOperations,
  ...setupOperations,
  ...userOperations,
  ...roleOperations,
  ...apiKeyOperations,
  ...auditOperations,
  ...oauthOperations,
] as unknown as readonly Operation[];
