// Shared storage helpers of the OAuth authorization server and its management verbs: client rows,
// grant ("token family") lookup and revocation. Revoking a grant revokes its refresh token and
// every access token carrying its id, because the resource server checks the grant per request.
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { OAuthClient } from '../../../schemas/oauth.ts';
import type { DbOrTx } from '../../db/client.ts';
import { oauthClients, oauthGrants } from '../../db/schema/index.ts';
import { perDb } from '../../db/prepared.ts';

export type ClientRow = typeof oauthClients.$inferSelect;
export type GrantRow = typeof oauthGrants.$inferSelect;

export const CLIENT_SECRET_PREFIX = 'rackd_cs_';
export const REFRESH_TOKEN_PREFIX = 'rackd_rt_';
export const CODE_PREFIX = 'rackd_ac_';

export function toOAuthClient(row: ClientRow): OAuthClient {
  return {
    id: row.id,
    client_id: row.clientId,
    kind: row.kind,
    client_name: row.name,
    redirect_uris: row.redirectUris,
    grant_types: row.grantTypes,
    token_endpoint_auth_method: row.tokenEndpointAuthMethod,
    scope: row.scope,
    client_uri: row.clientUri,
    is_confidential: row.secretHash !== null,
    owner_user_id: row.ownerUserId,
    created_at: row.createdAt,
    last_used_at: row.lastUsedAt,
  };
}

const clientByClientId = perDb((db) => db.select().from(oauthClients).where(eq(oauthClients.clientId, sql.placeholder('clientId'))).prepare());

export function findClientByClientId(db: DbOrTx, clientId: string): ClientRow | undefined {
  return clientByClientId(db).get({ clientId });
}

export function findClientById(db: DbOrTx, id: string): ClientRow | undefined {
  return db.select().from(oauthClients).where(eq(oauthClients.id, id)).get();
}

// On every access-token request: one primary-key lookup.
const grantById = perDb((db) => db.select().from(oauthGrants).where(eq(oauthGrants.id, sql.placeholder('id'))).prepare());

export function findGrant(db: DbOrTx, id: string): GrantRow | undefined {
  return grantById(db).get({ id });
}

/** Revokes the active grants matching `where`; returns how many were revoked. */
export function revokeGrantsWhere(tx: DbOrTx, where: SQL | undefined, reason: string, now: string): number {
  return tx
    .update(oauthGrants)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(isNull(oauthGrants.revokedAt), where))
    .run().changes;
}

export const revokeGrant = (tx: DbOrTx, grantId: string, reason: string, now: string): number =>
  revokeGrantsWhere(tx, eq(oauthGrants.id, grantId), reason, now);

/** Records use of a client; unused DCR and CIMD registrations expire on this. */
export function touchClient(db: DbOrTx, id: string, now: string): void {
  db.update(oauthClients).set({ lastUsedAt: now }).where(eq(oauthClients.id, id)).run();
}
