// Builds the caller context of an authenticated user: effective permissions computed once.
import type { Actor, CallerContext, Source } from '../../auth/context.ts';
import { SCOPE_ADMIN } from '../../auth/scopes.ts';
import type { ServiceEnv } from '../env.ts';
import { accessOfUser } from '../users/internal.ts';

export interface RequestMeta {
  requestId: string;
  ip: string;
  source: Source;
}

// The intersection of a user's permissions (a set shared until the grants change) with one
// expansion of scopes (also shared): the same pair recurs on every request of a key or token.
const narrowed = new WeakMap<ReadonlySet<string>, WeakMap<ReadonlySet<string>, ReadonlySet<string>>>();

function intersect(permissions: ReadonlySet<string>, scopes: ReadonlySet<string>): ReadonlySet<string> {
  let byScopes = narrowed.get(permissions);
  if (!byScopes) narrowed.set(permissions, (byScopes = new WeakMap()));
  let out = byScopes.get(scopes);
  if (!out) byScopes.set(scopes, (out = new Set([...permissions].filter((p) => scopes.has(p)))));
  return out;
}

/**
 * The context of a user, acting with their roles' permissions — narrowed to `scopes` (the
 * expanded scopes of an OAuth token or an API key) when given. Administrator-only guards
 * (requireAdmin, "see everyone's keys") need the admin scope too when the credential is scoped.
 */
export function userContext(
  env: ServiceEnv,
  actor: Extract<Actor, { userId: string }>,
  meta: RequestMeta,
  scopes?: ReadonlySet<string>,
  scopeNames?: readonly string[],
): CallerContext {
  const access = accessOfUser(env.db, actor.userId);
  if (!scopes) return { actor, permissions: access.permissionSet, isAdmin: access.isAdmin, ...meta };
  return { actor, permissions: intersect(access.permissionSet, scopes), isAdmin: access.isAdmin && (scopeNames ?? []).includes(SCOPE_ADMIN), ...meta };
}
