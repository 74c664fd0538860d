// Builds the caller context of an authenticated user: effective permissions computed once.
import type { Actor, CallerContext, Source } from '../../auth/context.ts';
import type { ServiceEnv } from '../env.ts';
import { hasAdminRole, permissionsOfUser } from '../users/internal.ts';

export interface RequestMeta {
  requestId: string;
  ip: string;
  source: Source;
}

export function userContext(
  env: ServiceEnv,
  actor: Extract<Actor, { userId: string }>,
  meta: RequestMeta,
  scopes?: ReadonlySet<string>,
): CallerContext {
  let permissions = new Set(permissionsOfUser(env.db, actor.userId));
  // An OAuth token acts with the user's permissions intersected with its scopes.
  if (scopes) permissions = new Set([...permissions].filter((p) => scopes.has(p)));
  return { actor, permissions, isAdmin: hasAdminRole(env.db, actor.userId), ...meta };
}
