// The permission catalogue and the built-in roles. A permission exists only together with the
// feature it guards (tests/security/permissions.test.ts holds every name to an operation that
// requires it); later features add theirs here. Names double as OAuth and API-key scope names.
// `Permission` is derived from the catalogue, so a misspelt permission does not compile.

const CRUD = ['list', 'create', 'read', 'update', 'delete'] as const;

const GROUPS = [
  { prefix: 'device', resource: 'devices', label: 'devices', actions: CRUD },
  { prefix: 'network', resource: 'networks', label: 'networks', actions: CRUD },
  { prefix: 'datacenter', resource: 'datacenters', label: 'datacenters', actions: CRUD },
  { prefix: 'discovery', resource: 'discovery', label: 'discovery scans, rules and discovered devices', actions: CRUD },
  { prefix: 'user', resource: 'users', label: 'users', actions: CRUD },
  { prefix: 'role', resource: 'roles', label: 'roles and role assignments', actions: CRUD },
  { prefix: 'apikey', resource: 'apikeys', label: 'API keys', actions: ['list', 'create', 'read', 'delete'] },
  { prefix: 'pool', resource: 'pools', label: 'IP pools', actions: CRUD },
  { prefix: 'credential', resource: 'credentials', label: 'discovery credentials', actions: CRUD },
  { prefix: 'scan-profile', resource: 'scan-profiles', label: 'scan profiles', actions: CRUD },
  { prefix: 'scheduled-scan', resource: 'scheduled-scans', label: 'scheduled scans', actions: CRUD },
  { prefix: 'relationship', resource: 'relationships', label: 'device relationships', actions: CRUD },
  { prefix: 'reservation', resource: 'reservations', label: 'IP reservations', actions: ['list', 'read', 'create', 'update', 'delete'] },
  { prefix: 'webhooks', resource: 'webhooks', label: 'webhooks', actions: ['list', 'read', 'create', 'update', 'delete'] },
  { prefix: 'audit', resource: 'audit', label: 'the audit log', actions: ['list', 'read', 'export'] },
  { prefix: 'dashboard', resource: 'dashboard', label: 'the dashboard', actions: ['read'] },
] as const;

type GroupDef = (typeof GROUPS)[number];
type NamesOf<G> = G extends { prefix: infer P extends string; actions: readonly (infer A extends string)[] } ? `${P}:${A}` : never;

/** Every permission name, e.g. `device:list`. */
export type Permission = NamesOf<GroupDef>;
/** Prefixes whose group has the five CRUD actions (what the catalogue's CRUD factory accepts). */
export type CrudPrefix = Extract<GroupDef, { actions: typeof CRUD }>['prefix'];

export interface PermissionDef {
  name: Permission;
  resource: string;
  action: string;
  description: string;
}

const VERB: Record<string, string> = { list: 'List', create: 'Create', read: 'Read', update: 'Update', delete: 'Delete', export: 'Export' };

export const PERMISSIONS: readonly PermissionDef[] = GROUPS.flatMap((g) =>
  g.actions.map((action) => ({
    name: `${g.prefix}:${action}` as Permission,
    resource: g.resource,
    action,
    description: `${VERB[action] ?? action} ${g.label}`,
  })),
);

export const PERMISSION_NAMES: ReadonlySet<string> = new Set(PERMISSIONS.map((p) => p.name));

export const isPermission = (name: string): name is Permission => PERMISSION_NAMES.has(name);

const pick = <P extends string, A extends string>(prefix: P, actions: readonly A[]): `${P}:${A}`[] => actions.map((a) => `${prefix}:${a}` as const);

/**
 * Every built-in role may keep API keys of its own (list, create, read, delete), so a viewer can
 * make a read-only key for a script. A key never does more than its owner (roles ∩ the key's
 * scopes), and only administrators see or manage other users' keys.
 */
const OWN_KEYS = pick('apikey', ['list', 'create', 'read', 'delete']);

const OPERATOR: readonly Permission[] = [
  ...pick('device', ['list', 'create', 'read', 'update']),
  ...pick('network', ['list', 'create', 'read', 'update']),
  ...pick('datacenter', ['list', 'read']),
  ...pick('discovery', ['list', 'create', 'read', 'update']),
  ...pick('pool', ['list', 'create', 'read', 'update']),
  ...pick('credential', ['list', 'create', 'read', 'update']),
  ...pick('scan-profile', ['list', 'create', 'read', 'update']),
  ...pick('scheduled-scan', ['list', 'create', 'read', 'update']),
  ...pick('relationship', ['list', 'create', 'read', 'update']),
  ...pick('reservation', ['list', 'read', 'create', 'update']),
  'dashboard:read',
  ...pick('webhooks', ['list', 'read']),
  ...pick('audit', ['list', 'read']),
  ...OWN_KEYS,
];

const VIEWER: readonly Permission[] = [
  ...pick('device', ['list', 'read']),
  ...pick('network', ['list', 'read']),
  ...pick('datacenter', ['list', 'read']),
  ...pick('discovery', ['list', 'read']),
  ...pick('pool', ['list', 'read']),
  ...pick('credential', ['list', 'read']),
  ...pick('scan-profile', ['list', 'read']),
  ...pick('scheduled-scan', ['list', 'read']),
  ...pick('relationship', ['list', 'read']),
  ...pick('reservation', ['list', 'read']),
  ...pick('webhooks', ['list', 'read']),
  'dashboard:read',
  ...OWN_KEYS,
];

export interface SystemRoleDef {
  name: 'admin' | 'operator' | 'viewer';
  description: string;
  permissions: readonly Permission[];
}

export const SYSTEM_ROLES: readonly SystemRoleDef[] = [
  { name: 'admin', description: 'Full administrative access', permissions: PERMISSIONS.map((p) => p.name) },
  { name: 'operator', description: 'Can manage devices, networks, and discovery', permissions: OPERATOR },
  { name: 'viewer', description: 'Read-only access', permissions: VIEWER },
];

export const SYSTEM_ROLE_NAMES: ReadonlySet<string> = new Set(SYSTEM_ROLES.map((r) => r.name));
