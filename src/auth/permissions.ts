// The permission catalogue (Rackd's 118 permissions) and the built-in roles. Permission names
// are also OAuth scope names. Checks match on the name; resource/action are kept for filters.

interface Group {
  /** Prefix of the permission name, e.g. "device" in "device:list". */
  prefix: string;
  /** Rackd's resource string, e.g. "devices". */
  resource: string;
  label: string;
  actions: readonly string[];
}

const CRUD = ['list', 'create', 'read', 'update', 'delete'] as const;

const GROUPS: readonly Group[] = [
  { prefix: 'device', resource: 'devices', label: 'devices', actions: CRUD },
  { prefix: 'network', resource: 'networks', label: 'networks', actions: CRUD },
  { prefix: 'datacenter', resource: 'datacenters', label: 'datacenters', actions: CRUD },
  { prefix: 'discovery', resource: 'discovery', label: 'discovery scans and discovered devices', actions: CRUD },
  { prefix: 'user', resource: 'users', label: 'users', actions: CRUD },
  { prefix: 'role', resource: 'roles', label: 'roles and role assignments', actions: CRUD },
  { prefix: 'apikey', resource: 'apikeys', label: 'API keys', actions: CRUD },
  { prefix: 'pool', resource: 'pools', label: 'IP pools', actions: CRUD },
  { prefix: 'credential', resource: 'credentials', label: 'discovery credentials', actions: CRUD },
  { prefix: 'scan-profile', resource: 'scan-profiles', label: 'scan profiles', actions: CRUD },
  { prefix: 'scheduled-scan', resource: 'scheduled-scans', label: 'scheduled scans', actions: CRUD },
  { prefix: 'relationship', resource: 'relationships', label: 'device relationships', actions: CRUD },
  { prefix: 'conflict', resource: 'conflicts', label: 'IP conflicts', actions: ['list', 'read', 'resolve', 'detect', 'delete'] },
  { prefix: 'reservation', resource: 'reservations', label: 'IP reservations', actions: ['list', 'read', 'create', 'update', 'delete'] },
  { prefix: 'webhooks', resource: 'webhooks', label: 'webhooks', actions: ['list', 'read', 'create', 'update', 'delete'] },
  { prefix: 'custom-fields', resource: 'custom-fields', label: 'custom fields', actions: ['list', 'read', 'create', 'update', 'delete'] },
  { prefix: 'circuits', resource: 'circuits', label: 'circuits', actions: ['list', 'read', 'create', 'update', 'delete'] },
  { prefix: 'nat', resource: 'nat', label: 'NAT mappings', actions: ['list', 'read', 'create', 'update', 'delete'] },
  { prefix: 'dns-provider', resource: 'dns-provider', label: 'DNS providers', actions: ['list', 'read', 'create', 'update', 'delete', 'test'] },
  { prefix: 'dns-zone', resource: 'dns-zone', label: 'DNS zones', actions: ['list', 'read', 'create', 'update', 'delete', 'sync', 'import'] },
  { prefix: 'dns', resource: 'dns', label: 'DNS records', actions: ['list', 'read', 'create', 'update', 'delete', 'sync', 'import'] },
  { prefix: 'audit', resource: 'audit', label: 'the audit log', actions: ['list', 'read', 'export'] },
  { prefix: 'logs', resource: 'logs', label: 'server logs', actions: ['list', 'read', 'export'] },
  { prefix: 'search', resource: 'search', label: 'search', actions: ['read'] },
  { prefix: 'dashboard', resource: 'dashboard', label: 'the dashboard', actions: ['read'] },
];

export interface PermissionDef {
  name: string;
  resource: string;
  action: string;
  description: string;
}

const VERB: Record<string, string> = {
  list: 'List',
  create: 'Create',
  read: 'Read',
  update: 'Update',
  delete: 'Delete',
  resolve: 'Resolve',
  detect: 'Detect',
  test: 'Test',
  sync: 'Sync',
  import: 'Import',
  export: 'Export',
};

export const PERMISSIONS: readonly PermissionDef[] = GROUPS.flatMap((g) =>
  g.actions.map((action) => ({
    name: `${g.prefix}:${action}`,
    resource: g.resource,
    action,
    description: `${VERB[action] ?? action} ${g.label}`,
  })),
);

export type PermissionName = string;
export const PERMISSION_NAMES: ReadonlySet<string> = new Set(PERMISSIONS.map((p) => p.name));

export const isPermission = (name: string): boolean => PERMISSION_NAMES.has(name);

const pick = (prefix: string, actions: readonly string[]): string[] => actions.map((a) => `${prefix}:${a}`);

const OPERATOR: readonly string[] = [
  ...pick('device', ['list', 'create', 'read', 'update']),
  ...pick('network', ['list', 'create', 'read', 'update']),
  ...pick('datacenter', ['list', 'read']),
  ...pick('discovery', ['list', 'create', 'read', 'update']),
  ...pick('pool', ['list', 'create', 'read', 'update']),
  ...pick('credential', ['list', 'create', 'read', 'update']),
  ...pick('scan-profile', ['list', 'create', 'read', 'update']),
  ...pick('scheduled-scan', ['list', 'create', 'read', 'update']),
  ...pick('relationship', ['list', 'create', 'read', 'update']),
  'search:read',
  ...pick('conflict', ['list', 'read', 'detect']),
  ...pick('reservation', ['list', 'read', 'create', 'update']),
  'dashboard:read',
  ...pick('webhooks', ['list', 'read']),
  ...pick('custom-fields', ['list', 'read']),
  ...pick('circuits', ['list', 'read', 'create', 'update']),
  ...pick('nat', ['list', 'read', 'create', 'update']),
  ...pick('dns-provider', ['list', 'read', 'test']),
  ...pick('dns-zone', ['list', 'read', 'sync']),
  ...pick('dns', ['list', 'read', 'sync']),
  ...pick('audit', ['list', 'read']),
  ...pick('logs', ['list', 'read']),
];

const VIEWER: readonly string[] = [
  ...[
    'device',
    'network',
    'datacenter',
    'discovery',
    'pool',
    'credential',
    'scan-profile',
    'scheduled-scan',
    'relationship',
    'conflict',
    'reservation',
    'webhooks',
    'custom-fields',
    'circuits',
    'nat',
    'dns-provider',
    'dns-zone',
    'dns',
  ].flatMap((p) => pick(p, ['list', 'read'])),
  'search:read',
  'dashboard:read',
  'dns-provider:test',
];

export interface SystemRoleDef {
  name: 'admin' | 'operator' | 'viewer';
  description: string;
  permissions: readonly string[];
}

export const SYSTEM_ROLES: readonly SystemRoleDef[] = [
  { name: 'admin', description: 'Full administrative access', permissions: PERMISSIONS.map((p) => p.name) },
  { name: 'operator', description: 'Can manage devices, networks, and discovery', permissions: OPERATOR },
  { name: 'viewer', description: 'Read-only access', permissions: VIEWER },
];

export const SYSTEM_ROLE_NAMES: ReadonlySet<string> = new Set(SYSTEM_ROLES.map((r) => r.name));
