// The event catalogue (what a webhook can subscribe to, served by GET /api/webhooks/events) and the
// mapping from the audit actions of the service verbs to event types. Every write goes through
// `audited` → `audit.record`, which looks its action up here; reads never reach it. Writes that
// publish nothing say why in NO_EVENT_ACTIONS; tests/webhooks/catalogue.test.ts holds every
// audited action of src/ to one of the three (a catalogued type, a read, or a reason).
import type { AuditChange } from '../audit/record.ts';

export interface EventTypeDef {
  type: string;
  label: string;
  description: string;
}

const crud = (entity: string, label: string, what: string): EventTypeDef[] => [
  { type: `${entity}.created`, label: `${label} Created`, description: `A ${what} was created. data.after holds it.` },
  { type: `${entity}.updated`, label: `${label} Updated`, description: `A ${what} was changed. data.before and data.after hold both versions.` },
  { type: `${entity}.deleted`, label: `${label} Deleted`, description: `A ${what} was deleted. data.before holds its last version.` },
];

/** Utilization (percent, inclusive) at which `pool.utilization_high` fires once per upward crossing. */
export const POOL_UTILIZATION_THRESHOLD = 80;

export const EVENT_TYPES: readonly EventTypeDef[] = [
  ...crud('device', 'Device', 'device'),
  { type: 'device.promoted', label: 'Device Promoted', description: 'A discovered device was promoted into the inventory. data.after holds the new device.' },
  ...crud('network', 'Network', 'network'),
  ...crud('datacenter', 'Datacenter', 'datacenter'),
  ...crud('pool', 'Pool', 'IP pool'),
  {
    type: 'pool.utilization_high',
    label: 'Pool Utilization High',
    description: `An allocation took a pool to ${POOL_UTILIZATION_THRESHOLD}% utilization or more (once per crossing: it fires again only after the pool fell below and rose past the threshold). data.after: pool_id, pool_name, network_id, used, size, utilization, threshold.`,
  },
  { type: 'ip.allocated', label: 'IP Allocated', description: 'ip_allocate handed out the next free address of a pool, to a device or as a reservation. data.after holds the allocation.' },
  ...crud('reservation', 'Reservation', 'reservation'),
  { type: 'reservation.released', label: 'Reservation Released', description: 'A reservation was released; its address is free again.' },
  { type: 'reservation.expired', label: 'Reservation Expired', description: 'A reservation passed its expiry and was released by the expiry job.' },
  ...crud('relationship', 'Relationship', 'device relationship'),
  ...crud('user', 'User', 'user account'),
  { type: 'user.password_changed', label: 'User Password Changed', description: 'A user changed their password or had it reset (the password itself is never sent).' },
  { type: 'user.role_granted', label: 'Role Granted', description: 'A role was granted to a user. data.before/after: the user\'s role names; data.details names the role.' },
  { type: 'user.role_revoked', label: 'Role Revoked', description: 'A role was revoked from a user. data.before/after: the user\'s role names; data.details names the role.' },
  ...crud('role', 'Role', 'role'),
  { type: 'apikey.created', label: 'API Key Created', description: 'An API key was created (never the key itself).' },
  { type: 'apikey.deleted', label: 'API Key Deleted', description: 'An API key was revoked.' },
  { type: 'oauth_client.created', label: 'OAuth Client Created', description: 'An OAuth client was registered (dynamic registration or POST /api/oauth/clients); never its secret.' },
  { type: 'oauth_client.deleted', label: 'OAuth Client Deleted', description: 'An OAuth client was deleted with its grants and tokens.' },
  { type: 'oauth_authorization.granted', label: 'OAuth Authorization Granted', description: 'A user approved an OAuth client on the consent page.' },
  { type: 'oauth_authorization.revoked', label: 'OAuth Authorization Revoked', description: 'A user revoked an application\'s access.' },
  ...crud('webhook', 'Webhook', 'webhook subscription'),
  { type: 'discovery.started', label: 'Discovery Started', description: 'A discovery scan started.' },
  { type: 'discovery.completed', label: 'Discovery Completed', description: 'A discovery scan finished.' },
  { type: 'discovery.device_found', label: 'Device Discovered', description: 'A discovery scan found a host that was not known before.' },
  { type: 'discovery.scan_deleted', label: 'Discovery Scan Deleted', description: 'A discovery scan record was deleted (a running scan is cancelled first). data.before holds its last version.' },
  { type: 'discovery.device_deleted', label: 'Discovered Device Deleted', description: 'A discovered host record was deleted (a device promoted from it stays). data.before holds its last version.' },
  {
    type: 'discovery.devices_deleted',
    label: 'Discovered Devices Deleted',
    description:
      'Discovered host records were deleted in bulk: every one of a network (data.details: network_id, deleted), or the stale ones by the discovery-cleanup job (data.details: deleted, cutoff, days).',
  },
  ...crud('discovery_rule', 'Discovery Rule', 'discovery rule'),
  ...crud('credential', 'Credential', 'discovery credential (never its secret)'),
  ...crud('scan_profile', 'Scan Profile', 'scan profile'),
  ...crud('scheduled_scan', 'Scheduled Scan', 'scheduled scan'),
  { type: 'conflict.detected', label: 'Conflict Detected', description: 'An IP conflict was detected.' },
  { type: 'conflict.resolved', label: 'Conflict Resolved', description: 'An IP conflict was resolved.' },
];

/** Sent by webhook_ping only; not subscribable. */
export const PING_EVENT = 'webhook.ping';

/** Subscribe to every event type, including ones added later. */
export const ALL_EVENTS = '*';

export const EVENT_TYPE_NAMES: ReadonlySet<string> = new Set(EVENT_TYPES.map((e) => e.type));

export interface ActionMapping {
  type: string;
  /** The change's before/after are arrays (bulk operations): one event per item. */
  each?: boolean;
  /** No event when this says the call changed nothing (e.g. an idempotent replay). */
  skip?: (change: AuditChange) => boolean;
}

const nothingDeleted = (c: AuditChange): boolean => (c.extra as { deleted?: number } | undefined)?.deleted === 0;

// Audit actions whose event is not simply `<entity>.created|updated|deleted`.
export const EXPLICIT_ACTIONS: Readonly<Record<string, ActionMapping>> = {
  'device.bulk_create': { type: 'device.created', each: true },
  'device.bulk_update': { type: 'device.updated', each: true },
  'device.bulk_delete': { type: 'device.deleted', each: true },
  'device.bulk_add_tags': { type: 'device.updated', each: true },
  'device.bulk_remove_tags': { type: 'device.updated', each: true },
  'device.promote': { type: 'device.promoted' },
  'network.bulk_create': { type: 'network.created', each: true },
  'network.bulk_delete': { type: 'network.deleted', each: true },
  'pool.allocate': { type: 'ip.allocated', skip: (c) => (c.after as { idempotent_replay?: boolean } | undefined)?.idempotent_replay === true },
  'reservation.release': { type: 'reservation.released' },
  'reservation.expire': { type: 'reservation.expired' },
  'role.grant': { type: 'user.role_granted' },
  'role.revoke': { type: 'user.role_revoked' },
  'user.password_change': { type: 'user.password_changed' },
  'user.password_reset': { type: 'user.password_changed' },
  'oauth_authorization.revoke': { type: 'oauth_authorization.revoked' },
  'discovery.start': { type: 'discovery.started' },
  'discovery.complete': { type: 'discovery.completed' },
  'discovery.device_found': { type: 'discovery.device_found', each: true },
  'discovery_scan.delete': { type: 'discovery.scan_deleted' },
  'discovered_device.delete': { type: 'discovery.device_deleted' },
  'discovered_device.delete_network': { type: 'discovery.devices_deleted', skip: nothingDeleted },
  'discovered_device.cleanup': { type: 'discovery.devices_deleted', skip: nothingDeleted },
  'conflict.detect': { type: 'conflict.detected' },
  'conflict.resolve': { type: 'conflict.resolved' },
};

/** Audited writes that deliberately publish no event through the mapping, and why. */
export const NO_EVENT_ACTIONS: Readonly<Record<string, string>> = {
  'audit.export': 'reads the audit log; nothing changes',
  'auth.login': 'sessions are not inventory; the audit log records logins',
  'auth.logout': 'sessions are not inventory; the audit log records logouts',
  'credential.rotate_key': 'an offline re-encryption: no credential as a subscriber sees it changes',
  'discovery_scan.cancel': 'the scan\'s end is published as discovery.completed (status cancelled)',
  'setup.complete': 'first-run setup; the administrator it creates is published as user.created',
  'oauth_client.register': 'the registration endpoint publishes oauth_client.created itself',
  'oauth_consent.grant': 'the consent page publishes oauth_authorization.granted itself',
  'oauth_consent.deny': 'nothing is granted',
  'oauth_token.issue': 'token traffic: frequent, and no inventory change; the audit log records it',
  'oauth_token.refresh': 'token traffic: frequent, and no inventory change; the audit log records it',
  'oauth_token.revoke': 'token traffic: frequent, and no inventory change; the audit log records it',
  'webhook.ping': 'sends webhook.ping to that one webhook, outside the catalogue',
  'webhook.redeliver': 'sends again an event that was already published',
};

const PAST: Record<string, string> = { create: 'created', update: 'updated', delete: 'deleted' };

/**
 * The event an audited action publishes, or undefined for actions that change nothing a
 * subscriber cares about (reads, exports, login). `<entity>.create|update|delete` maps to
 * `<entity>.created|updated|deleted`; hyphens in the entity become underscores.
 */
export function eventForAction(action: string): ActionMapping | undefined {
  const explicit = EXPLICIT_ACTIONS[action];
  if (explicit) return explicit;
  if (action in NO_EVENT_ACTIONS) return undefined;
  const m = /^([a-z][a-z0-9_-]*)\.(create|update|delete)$/.exec(action);
  return m ? { type: `${m[1]!.replace(/-/g, '_')}.${PAST[m[2]!]}` } : undefined;
}
