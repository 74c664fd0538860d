// The OAuth 2.1 authorization server's tables. Secrets (client secrets, codes, refresh tokens)
// are stored only as SHA-256 hex. Access tokens are JWTs and are not stored: each carries the id
// of its grant ("family"), and revoking the family row revokes every token of the family at once.
import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

export const oauthClients = pgTable(
  'oauth_clients',
  {
    /** Surrogate id used by the REST API and foreign keys. */
    id: text('id').primaryKey(),
    /** The public client_id: a UUID for registered clients, the document URL for CIMD clients. */
    clientId: text('client_id').notNull().unique(),
    /** dcr = RFC 7591 registration, api = registered by a user through /api, cimd = metadata document. */
    kind: text('kind', { enum: ['dcr', 'api', 'cimd'] }).notNull(),
    name: text('name').notNull().default(''),
    redirectUris: jsonb('redirect_uris').$type<string[]>().notNull(),
    grantTypes: jsonb('grant_types').$type<string[]>().notNull(),
    responseTypes: jsonb('response_types').$type<string[]>().notNull(),
    tokenEndpointAuthMethod: text('token_endpoint_auth_method', { enum: ['none', 'client_secret_basic', 'client_secret_post'] }).notNull(),
    /** Registered scope limit (space-separated); null = no limit beyond the user's own rights. */
    scope: text('scope'),
    clientUri: text('client_uri'),
    logoUri: text('logo_uri'),
    applicationType: text('application_type'),
    secretHash: text('secret_hash'),
    /** The user a client registered through /api acts as (client_credentials); null otherwise. */
    ownerUserId: text('owner_user_id').references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** Last authorization or token request; unused DCR/CIMD registrations expire on it. */
    lastUsedAt: text('last_used_at'),
  },
  (t) => [index('oauth_clients_owner').on(t.ownerUserId), index('oauth_clients_kind_used').on(t.kind, t.lastUsedAt)],
);

/** One grant: the tokens issued from one code exchange (and its refreshes) or one client_credentials request. */
export const oauthGrants = pgTable(
  'oauth_grants',
  {
    id: text('id').primaryKey(),
    clientId: text('client_id')
      .notNull()
      .references(() => oauthClients.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    grantType: text('grant_type', { enum: ['authorization_code', 'client_credentials'] }).notNull(),
    /** The consented scope (space-separated); refreshes may narrow an access token, never this. */
    scope: text('scope').notNull(),
    resource: text('resource').notNull(),
    createdAt: text('created_at').notNull(),
    lastUsedAt: text('last_used_at').notNull(),
    /** When the last token of the family stops being valid; the row may be deleted after that. */
    expiresAt: text('expires_at').notNull(),
    revokedAt: text('revoked_at'),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('oauth_grants_user_client').on(t.userId, t.clientId), index('oauth_grants_client').on(t.clientId), index('oauth_grants_expires').on(t.expiresAt)],
);

export const oauthCodes = pgTable(
  'oauth_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    clientId: text('client_id')
      .notNull()
      .references(() => oauthClients.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Id the grant gets when the code is exchanged, so that a replay can revoke what it issued. */
    grantId: text('grant_id').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    scope: text('scope').notNull(),
    resource: text('resource').notNull(),
    codeChallenge: text('code_challenge').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
  },
  (t) => [index('oauth_codes_expires').on(t.expiresAt)],
);

export const oauthRefreshTokens = pgTable(
  'oauth_refresh_tokens',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    grantId: text('grant_id')
      .notNull()
      .references(() => oauthGrants.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    /** Set when a refresh used it; presenting it again afterwards is replay and revokes the grant. */
    rotatedAt: text('rotated_at'),
  },
  (t) => [index('oauth_refresh_tokens_grant').on(t.grantId), index('oauth_refresh_tokens_expires').on(t.expiresAt)],
);
