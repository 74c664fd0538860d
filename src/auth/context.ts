// The one caller context every service verb receives, built once per request (or job).
import { AppError } from '../platform/errors.ts';
import type { Permission } from './permissions.ts';

export type Source = 'api' | 'mcp' | 'oauth' | 'cli' | 'system' | 'web';

export type Actor =
  | { kind: 'session'; userId: string; username: string; sessionHash: string }
  | { kind: 'api_key'; userId: string; username: string; keyId: string; scopes?: readonly string[] }
  | { kind: 'oauth'; userId: string; username: string; clientId: string; tokenId: string; scopes: readonly string[] }
  | { kind: 'system'; job: string }
  | { kind: 'cli'; osUser: string }
  | { kind: 'anonymous' };

export interface CallerContext {
  actor: Actor;
  /** Effective permissions: the user's role grants (∩ token scopes for OAuth), computed once. */
  permissions: ReadonlySet<string>;
  /** Holds the built-in admin role (Rackd's rule for the special guards). */
  isAdmin: boolean;
  requestId: string;
  ip: string;
  source: Source;
}

export const userIdOf = (ctx: CallerContext): string | undefined =>
  'userId' in ctx.actor ? ctx.actor.userId : undefined;

export const usernameOf = (ctx: CallerContext): string => {
  const a = ctx.actor;
  if ('username' in a) return a.username;
  if (a.kind === 'system') return `system:${a.job}`;
  if (a.kind === 'cli') return `cli:${a.osUser}`;
  return '';
};

/** System jobs and the offline CLI act with every permission, as Rackd's System caller does. */
export const isPrivileged = (ctx: CallerContext): boolean => ctx.actor.kind === 'system' || ctx.actor.kind === 'cli';

export function requireAuthenticated(ctx: CallerContext): void {
  if (ctx.actor.kind === 'anonymous') throw new AppError('UNAUTHORIZED', 'Authentication required');
}

/** The first line of every service verb. Fails closed: an unknown permission is never held. */
export function requirePermission(ctx: CallerContext, permission: Permission): void {
  requireAuthenticated(ctx);
  if (isPrivileged(ctx)) return;
  if (!ctx.permissions.has(permission)) {
    throw new AppError('FORBIDDEN', `Forbidden: requires permission ${permission}`, {
      details: [{ field: 'permission', message: permission }],
    });
  }
}

/** For verbs whose branches need different permissions: refuses a caller holding none of them. */
export function requireAnyPermission(ctx: CallerContext, permissions: readonly Permission[]): void {
  requireAuthenticated(ctx);
  if (isPrivileged(ctx) || permissions.some((p) => ctx.permissions.has(p))) return;
  throw new AppError('FORBIDDEN', `Forbidden: requires permission ${permissions.join(' or ')}`, {
    details: permissions.map((p) => ({ field: 'permission', message: p })),
  });
}

export const hasPermission = (ctx: CallerContext, permission: Permission): boolean =>
  isPrivileged(ctx) || ctx.permissions.has(permission);

export function requireAdmin(ctx: CallerContext, what: string): void {
  if (isPrivileged(ctx) || ctx.isAdmin) return;
  throw new AppError('FORBIDDEN', `Forbidden: only administrators may ${what}`);
}

export function systemContext(job: string, requestId = ''): CallerContext {
  return { actor: { kind: 'system', job }, permissions: new Set(), isAdmin: true, requestId, ip: '', source: 'system' };
}

export function cliContext(osUser: string): CallerContext {
  return { actor: { kind: 'cli', osUser }, permissions: new Set(), isAdmin: true, requestId: '', ip: '', source: 'cli' };
}

// Shared by every anonymous context (one per request before authentication); its ReadonlySet type
// is what keeps anyone from adding to it (freezing a Set would not).
const NO_PERMISSIONS: ReadonlySet<string> = new Set<string>();
const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous' });

export const anonymousContext = (requestId: string, ip: string, source: Source = 'api'): CallerContext => ({
  actor: ANONYMOUS,
  permissions: NO_PERMISSIONS,
  isAdmin: false,
  requestId,
  ip,
  source,
});
