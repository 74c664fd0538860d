// The scope vocabulary of OAuth tokens and API keys: every permission name is a scope, plus three
// broad scopes that stand for sets of them. A token or key acts with the user's current
// permissions ∩ the expansion of its scopes, so a scope never grants anything the user lacks and
// a role change applies to live credentials.
import { PERMISSIONS } from './permissions.ts';

export const SCOPE_READ = 'rackd:read';
export const SCOPE_WRITE = 'rackd:write';
export const SCOPE_ADMIN = 'rackd:admin';
export const BROAD_SCOPES = [SCOPE_READ, SCOPE_WRITE, SCOPE_ADMIN] as const;

/** What a client asks for when the 401 challenge steers it. */
export const DEFAULT_CHALLENGE_SCOPE = `${SCOPE_READ} ${SCOPE_WRITE}`;

const READ_ACTIONS = new Set(['list', 'read']);
/** Groups whose writes are administration, not inventory: only rackd:admin (or the name) covers them. */
const ADMIN_GROUPS = new Set(['user', 'role', 'apikey', 'audit', 'webhooks']);

const groupOf = (name: string): string => name.slice(0, name.indexOf(':'));

const READ_PERMISSIONS = PERMISSIONS.filter((p) => READ_ACTIONS.has(p.action)).map((p) => p.name);
const WRITE_PERMISSIONS = [
  ...READ_PERMISSIONS,
  ...PERMISSIONS.filter((p) => !READ_ACTIONS.has(p.action) && p.action !== 'delete' && !ADMIN_GROUPS.has(groupOf(p.name))).map((p) => p.name),
];
const ALL_PERMISSIONS = PERMISSIONS.map((p) => p.name);

const BROAD_EXPANSION: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [SCOPE_READ, new Set(READ_PERMISSIONS)],
  [SCOPE_WRITE, new Set(WRITE_PERMISSIONS)],
  [SCOPE_ADMIN, new Set(ALL_PERMISSIONS)],
]);

/** scopes_supported: the broad scopes first, then every permission name, sorted. */
export const SCOPES_SUPPORTED: readonly string[] = Object.freeze([...BROAD_SCOPES, ...[...ALL_PERMISSIONS].sort()]);
const KNOWN = new Set(SCOPES_SUPPORTED);

export const isKnownScope = (s: string): boolean => KNOWN.has(s);

/** Splits a scope parameter; keeps known scopes (deduplicated, in order) and reports the rest. */
export function parseScope(value: string | undefined | null): { known: string[]; unknown: string[] } {
  const known: string[] = [];
  const unknown: string[] = [];
  for (const s of (value ?? '').split(' ')) {
    if (!s) continue;
    if (KNOWN.has(s)) {
      if (!known.includes(s)) known.push(s);
    } else if (!unknown.includes(s)) unknown.push(s);
  }
  return { known, unknown };
}

const expansionCache = new Map<string, ReadonlySet<string>>();

/** The permission names a list of scopes stands for (cached: the same few scope strings recur). */
export function expandScopes(scopes: readonly string[]): ReadonlySet<string> {
  const key = scopes.join(' ');
  let out = expansionCache.get(key);
  if (!out) {
    const set = new Set<string>();
    for (const s of scopes) {
      const broad = BROAD_EXPANSION.get(s);
      if (broad) for (const p of broad) set.add(p);
      else if (KNOWN.has(s)) set.add(s);
    }
    out = set;
    if (expansionCache.size > 1000) expansionCache.clear();
    expansionCache.set(key, out);
  }
  return out;
}

/** True when every permission `requested` stands for is also covered by `granted`. */
export function scopesCover(granted: readonly string[], requested: readonly string[]): boolean {
  const have = expandScopes(granted);
  for (const p of expandScopes(requested)) if (!have.has(p)) return false;
  return true;
}

/** Keeps the requested scopes that `limit` covers (a client's registered scope). */
export function limitScopes(requested: readonly string[], limit: readonly string[] | undefined): string[] {
  if (!limit) return [...requested];
  return requested.filter((s) => scopesCover(limit, [s]));
}

/** The narrowest broad scope that includes one of `permissions`: what a 403 challenge asks for. */
export function neededScope(permissions: readonly string[]): string {
  for (const broad of BROAD_SCOPES) {
    const set = BROAD_EXPANSION.get(broad)!;
    if (permissions.some((p) => set.has(p))) return broad;
  }
  return SCOPE_ADMIN;
}

const DESCRIPTIONS: Record<string, string> = {
  [SCOPE_READ]:
    'See everything your account can see: devices, networks, datacenters, IP pools and reservations, discovery results, webhooks, and (if your account may) users, roles and the audit log.',
  [SCOPE_WRITE]:
    'Create and change the inventory your account may change: devices, networks, datacenters, IP pools and reservations, relationships and discovery. Nothing can be deleted with this.',
  [SCOPE_ADMIN]: 'Do everything your account may do, including deleting data and managing users, roles, API keys and webhooks.',
};
const PERMISSION_DESCRIPTIONS = new Map<string, string>(PERMISSIONS.map((p) => [p.name, p.description]));

/** Plain words for the consent page. */
export function describeScope(scope: string): string {
  return DESCRIPTIONS[scope] ?? PERMISSION_DESCRIPTIONS.get(scope) ?? scope;
}
