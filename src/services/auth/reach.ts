// "No credential broader than its maker": what a new API key or agent client could do (its
// owner's permissions, narrowed to its scopes) must be within what the caller may do. Otherwise a
// scoped key or an OAuth token holding apikey:create could mint a credential without its limits.
import { isPrivileged, type CallerContext } from '../../auth/context.ts';
import { expandScopes } from '../../auth/scopes.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceEnv } from '../env.ts';
import { accessOfUser } from '../users/internal.ts';

export function assertWithinCaller(env: ServiceEnv, ctx: CallerContext, ownerId: string, scopes: readonly string[] | undefined, field = 'scopes'): void {
  if (isPrivileged(ctx)) return;
  const allowed = scopes ? expandScopes(scopes) : undefined;
  const beyond = accessOfUser(env.db, ownerId).permissions.filter((p) => (!allowed || allowed.has(p)) && !ctx.permissions.has(p));
  if (beyond.length === 0) return;
  throw new AppError('FORBIDDEN', `Forbidden: the credential would allow what you may not do yourself (${beyond.slice(0, 5).join(', ')}${beyond.length > 5 ? ', …' : ''}); narrow it with ${field}`, {
    details: beyond.map((p) => ({ field, message: `you do not hold ${p}` })),
  });
}
