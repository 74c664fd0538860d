// Builds the caller context of an authenticated user: effective permissions computed once.
import type { Actor, CallerContext, Source } from '../../auth/context.ts';
import type { ServiceEnv } from '../env.ts';
import { accessOfUser } from '../users/internal.ts';

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
  const access = accessOfUser(env.db, actor.userId);
  // An OAuth token acts with the user's permissions intersected with its scopes.
  // The cached set is shared read-only (ReadonlySet); a scoped token gets a set of its own.
  const permissions = scopes ? new Set(access.permissions.filter((p) => scopes.has(p))) : access.permissionSet;
  return { actor, permissions, isAdmin: access.isAdmin, ...meta };
}
