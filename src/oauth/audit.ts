// Audit entries of the authorization server (source `oauth`): token issue/refresh/revoke,
// client registration and deletion, consent granted or denied. Never a secret in them.
import type { CallerContext } from '../auth/context.ts';
import { recordEvent, type AuditChange } from '../services/audit/record.ts';
import type { OAuthServer } from './server.ts';

export interface OAuthActor {
  userId: string;
  clientId: string;
  grantId?: string;
  scope?: string;
}

/** The request's context re-labelled as an OAuth actor (when a user is known) with source oauth. */
export function oauthContext(server: OAuthServer, base: CallerContext, who?: OAuthActor): CallerContext {
  if (!who) return { ...base, source: 'oauth' };
  const user = server.store.user(who.userId);
  return {
    ...base,
    source: 'oauth',
    actor: {
      kind: 'oauth',
      userId: who.userId,
      username: user?.username ?? '',
      clientId: who.clientId,
      tokenId: who.grantId ?? '',
      scopes: who.scope ? who.scope.split(' ') : [],
    },
  };
}

export function oauthEvent(
  server: OAuthServer,
  base: CallerContext,
  who: OAuthActor | undefined,
  meta: { action: string; resource: string; resourceId?: string },
  status: 'success' | 'failure',
  change: AuditChange = {},
  error?: { code: string; message: string },
): Promise<void> {
  return recordEvent(server.env, oauthContext(server, base, who), meta, status, change, error);
}
