// The hand-written endpoints (auth, API keys, users, roles, audit, OAuth clients, health, OAuth
// discovery) described for the OpenAPI document. The catalogue describes everything else; this
// list mirrors src/http/rest/*.ts, src/http/health.ts and the JSON documents of src/oauth/routes.ts,
// so a route added there needs a line here. The OAuth protocol endpoints (/mcp-oauth/authorize,
// token, register, revoke) are left out on purpose: they take form posts or answer HTML and
// redirects, and their errors are RFC 6749/7591 bodies, not the ErrorEnvelope every entry here
// is documented with; docs/api.md describes them.
import { z } from 'zod';
import { ApiKeySchema, CreateApiKeyInputSchema, CreatedApiKeySchema, ListApiKeysInputSchema } from '../../schemas/api-keys.ts';
import { AuditEntrySchema, ExportAuditInputSchema, ListAuditInputSchema } from '../../schemas/audit.ts';
import {
  CreatedOAuthClientSchema,
  CreateOAuthClientInputSchema,
  ListOAuthClientsInputSchema,
  OAuthAuthorizationSchema,
  OAuthClientSchema,
} from '../../schemas/oauth.ts';
import {
  CreateRoleInputSchema,
  ListPermissionsInputSchema,
  ListRolesInputSchema,
  PermissionSchema,
  RolePermissionsSchema,
  RoleSchema,
  UpdateRoleInputSchema,
} from '../../schemas/roles.ts';
import {
  ChangePasswordInputSchema,
  CreateUserInputSchema,
  CurrentUserSchema,
  ListUsersInputSchema,
  LoginInputSchema,
  LoginResultSchema,
  ResetPasswordInputSchema,
  RoleGrantInputSchema,
  UpdateUserInputSchema,
  UserSchema,
} from '../../schemas/users.ts';
import { EventTypeSchema } from '../../schemas/webhooks.ts';
import type { HttpMethod } from '../operations/types.ts';

export interface ManualEndpoint {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI-style path, e.g. `/api/users/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description: string;
  /** Permission names the route's service checks; empty when any authenticated caller (or anyone, if public) may call it. */
  permissions: readonly string[];
  /** No credentials needed. */
  public?: boolean;
  /** Query parameters (GET/DELETE) or the JSON body (POST/PUT/PATCH). */
  input?: z.ZodType;
  /** `items`: bare array of the output's elements with X-Total-Count; `text`/`csv`: non-JSON bodies. */
  response: { status: number; kind: 'body' | 'items' | 'empty' | 'text' | 'export'; schema?: z.ZodType };
  /** Other success statuses, e.g. 200 for a role grant that already existed. */
  alsoStatus?: readonly number[];
}

const Health = z.string().describe('Always "ok" while the process serves requests');
const Readiness = z
  .object({
    status: z.enum(['ready', 'not_ready']).describe('ready when every check passed'),
    checks: z.record(z.string(), z.enum(['ok', 'unavailable'])).describe('Result of each dependency check (database, valkey)'),
  })
  .describe('Readiness of the server and its dependencies');
const OpenApiDocument = z.record(z.string(), z.unknown()).describe('This OpenAPI 3.1 document');

// The OAuth discovery documents (src/oauth/metadata.ts), as they are served.
const AuthMethods = z.array(z.enum(['client_secret_basic', 'client_secret_post', 'none']));
const ScopesSupported = z.array(z.string()).describe('rackd:read, rackd:write and rackd:admin, then every permission name, sorted');
const AuthorizationServerMetadata = z
  .object({
    issuer: z.string().describe('MCP_OAUTH_ISSUER_URL (default http://localhost:<port>): an origin without a trailing slash'),
    authorization_endpoint: z.string().describe('<issuer>/mcp-oauth/authorize'),
    token_endpoint: z.string().describe('<issuer>/mcp-oauth/token'),
    registration_endpoint: z.string().describe('<issuer>/mcp-oauth/register (RFC 7591)'),
    revocation_endpoint: z.string().describe('<issuer>/mcp-oauth/revoke (RFC 7009)'),
    jwks_uri: z.string().describe('<issuer>/mcp-oauth/jwks'),
    scopes_supported: ScopesSupported,
    response_types_supported: z.array(z.literal('code')).describe('Only the authorization-code flow'),
    response_modes_supported: z.array(z.literal('query')).describe('The code comes back in the query string'),
    grant_types_supported: z.array(z.enum(['authorization_code', 'refresh_token', 'client_credentials'])).describe('Grant types of the token endpoint'),
    token_endpoint_auth_methods_supported: AuthMethods.describe('Client authentication at the token endpoint'),
    revocation_endpoint_auth_methods_supported: AuthMethods.describe('Client authentication at the revocation endpoint'),
    code_challenge_methods_supported: z.array(z.literal('S256')).describe('PKCE: S256 only'),
    authorization_response_iss_parameter_supported: z.literal(true).describe('Every authorization response carries iss (RFC 9207)'),
    client_id_metadata_document_supported: z.literal(true).describe('An https client_id is fetched as a Client ID Metadata Document'),
  })
  .describe('RFC 8414 authorization-server metadata');
const ProtectedResourceMetadata = z
  .object({
    resource: z.string().describe('The canonical resource <issuer>/mcp: the access-token audience and the RFC 8707 resource value'),
    authorization_servers: z.array(z.string()).describe('The issuer, the only authorization server'),
    bearer_methods_supported: z.array(z.literal('header')).describe('Tokens only in the Authorization header'),
    scopes_supported: ScopesSupported,
    resource_name: z.string().describe('"rackd"'),
  })
  .describe('RFC 9728 protected-resource metadata of /mcp');
const Jwks = z
  .object({
    keys: z
      .array(
        z.object({
          kty: z.literal('OKP').describe('Key type'),
          crv: z.literal('Ed25519').describe('Curve'),
          x: z.string().describe('The public key (base64url)'),
          kid: z.string().describe('RFC 7638 thumbprint of the key; the kid of every access token'),
          alg: z.literal('EdDSA').describe('Signing algorithm of the access tokens'),
          use: z.literal('sig').describe('Signature key'),
        }),
      )
      .describe('The access-token signing key (one)'),
  })
  .describe('JSON Web Key Set');
const oauthOnly = ' Served only while MCP_OAUTH_ENABLED is true (the default); CORS allows any origin. No authentication.';

const id = (what: string) => `the ${what}'s id`;

export const MANUAL_ENDPOINTS: readonly ManualEndpoint[] = [
  // --- health (src/http/health.ts) ---
  { operationId: 'healthz', method: 'GET', path: '/healthz', tag: 'health', summary: 'Liveness', description: 'Answers 200 "ok" while the process serves requests. No authentication.', permissions: [], public: true, response: { status: 200, kind: 'text', schema: Health } },
  { operationId: 'readyz', method: 'GET', path: '/readyz', tag: 'health', summary: 'Readiness', description: 'Checks the database (and Valkey when configured); 200 when ready, 503 otherwise. No authentication.', permissions: [], public: true, response: { status: 200, kind: 'body', schema: Readiness }, alsoStatus: [503] },
  { operationId: 'openapi_get', method: 'GET', path: '/api/openapi.json', tag: 'meta', summary: 'This OpenAPI document', description: 'The OpenAPI 3.1 description of the REST API, generated from the operation catalogue. Any authenticated caller.', permissions: [], response: { status: 200, kind: 'body', schema: OpenApiDocument } },

  // --- auth (src/http/rest/auth.ts) ---
  { operationId: 'auth_login', method: 'POST', path: '/api/auth/login', tag: 'auth', summary: 'Log in', description: 'Checks a username and password and starts a session: the rackd_session cookie (HttpOnly, SameSite=Lax) is set. Wrong, unknown or inactive accounts get 401 INVALID_CREDENTIALS; rate limited per IP.', permissions: [], public: true, input: LoginInputSchema, response: { status: 200, kind: 'body', schema: LoginResultSchema } },
  { operationId: 'auth_logout', method: 'POST', path: '/api/auth/logout', tag: 'auth', summary: 'Log out', description: 'Ends the caller\'s session and clears the cookie. Needs a session; API-key callers get 401.', permissions: [], response: { status: 204, kind: 'empty' } },
  { operationId: 'auth_me', method: 'GET', path: '/api/auth/me', tag: 'auth', summary: 'The current user', description: 'The caller\'s account with roles and effective permissions.', permissions: [], response: { status: 200, kind: 'body', schema: CurrentUserSchema } },

  // --- API keys (src/http/rest/api-keys.ts) ---
  { operationId: 'api_key_list', method: 'GET', path: '/api/keys', tag: 'api-keys', summary: 'List API keys', description: 'The caller\'s API keys (all keys for administrators), newest first. Bare array; the total is in X-Total-Count.', permissions: ['apikey:list'], input: ListApiKeysInputSchema, response: { status: 200, kind: 'items', schema: ApiKeySchema } },
  { operationId: 'api_key_create', method: 'POST', path: '/api/keys', tag: 'api-keys', summary: 'Create an API key', description: 'Creates an API key owned by the caller. The secret `key` is returned once; only its SHA-256 is stored.', permissions: ['apikey:create'], input: CreateApiKeyInputSchema, response: { status: 201, kind: 'body', schema: CreatedApiKeySchema } },
  { operationId: 'api_key_get', method: 'GET', path: '/api/keys/{id}', tag: 'api-keys', summary: 'Get an API key', description: `One API key by ${id('key')} (never the secret).`, permissions: ['apikey:read'], response: { status: 200, kind: 'body', schema: ApiKeySchema } },
  { operationId: 'api_key_delete', method: 'DELETE', path: '/api/keys/{id}', tag: 'api-keys', summary: 'Delete an API key', description: 'Revokes an API key at once. Other users\' keys need administrator rights.', permissions: ['apikey:delete'], response: { status: 204, kind: 'empty' } },

  // --- users (src/http/rest/users.ts) ---
  { operationId: 'user_list', method: 'GET', path: '/api/users', tag: 'users', summary: 'List users', description: 'Users filtered by username/email substring. Bare array; the total is in X-Total-Count.', permissions: ['user:list'], input: ListUsersInputSchema, response: { status: 200, kind: 'items', schema: UserSchema } },
  { operationId: 'user_create', method: 'POST', path: '/api/users', tag: 'users', summary: 'Create a user', description: 'Creates a user (password at least 12 characters), optionally granting one role. Creating administrators or granting system roles needs administrator rights.', permissions: ['user:create'], input: CreateUserInputSchema, response: { status: 201, kind: 'body', schema: UserSchema } },
  { operationId: 'user_grant_role', method: 'POST', path: '/api/users/grant-role', tag: 'users', summary: 'Grant a role', description: 'Grants a role to a user: 201 when granted, 200 when the user already held it. System roles need administrator rights.', permissions: ['role:update'], input: RoleGrantInputSchema, response: { status: 201, kind: 'empty' }, alsoStatus: [200] },
  { operationId: 'user_revoke_role', method: 'POST', path: '/api/users/revoke-role', tag: 'users', summary: 'Revoke a role', description: 'Revokes a role from a user. System roles need administrator rights.', permissions: ['role:update'], input: RoleGrantInputSchema, response: { status: 204, kind: 'empty' } },
  { operationId: 'user_get', method: 'GET', path: '/api/users/{id}', tag: 'users', summary: 'Get a user', description: `One user by ${id('user')}, with roles.`, permissions: ['user:read'], response: { status: 200, kind: 'body', schema: UserSchema } },
  { operationId: 'user_update', method: 'PUT', path: '/api/users/{id}', tag: 'users', summary: 'Update a user', description: 'Partial update of a user. Your own account needs no permission; others need user:update (and administrator rights for administrators or is_admin).', permissions: ['user:update'], input: UpdateUserInputSchema, response: { status: 200, kind: 'body', schema: UserSchema } },
  { operationId: 'user_delete', method: 'DELETE', path: '/api/users/{id}', tag: 'users', summary: 'Delete a user', description: 'Deletes a user and ends their sessions. You cannot delete yourself (400 CANNOT_DELETE_SELF).', permissions: ['user:delete'], response: { status: 204, kind: 'empty' } },
  { operationId: 'user_change_password', method: 'POST', path: '/api/users/{id}/password', tag: 'users', summary: 'Change a password', description: 'Your own password (old_password required, no permission) or another user\'s (user:update). Every session of the user ends.', permissions: ['user:update'], input: ChangePasswordInputSchema, response: { status: 204, kind: 'empty' } },
  { operationId: 'user_reset_password', method: 'POST', path: '/api/users/{id}/reset-password', tag: 'users', summary: 'Reset a password', description: 'Sets a new password for another user without the old one. Every session of the user ends.', permissions: ['user:update'], input: ResetPasswordInputSchema, response: { status: 204, kind: 'empty' } },
  { operationId: 'user_roles', method: 'GET', path: '/api/users/{id}/roles', tag: 'users', summary: 'A user\'s roles', description: 'The roles granted to a user. Needs role:list and user:read.', permissions: ['role:list', 'user:read'], response: { status: 200, kind: 'items', schema: RoleSchema } },
  { operationId: 'user_permissions', method: 'GET', path: '/api/users/{id}/permissions', tag: 'users', summary: 'A user\'s permissions', description: 'The union of the permissions of a user\'s roles. Needs role:list and user:read.', permissions: ['role:list', 'user:read'], response: { status: 200, kind: 'items', schema: PermissionSchema } },

  // --- roles and permissions (src/http/rest/roles.ts) ---
  { operationId: 'role_list', method: 'GET', path: '/api/roles', tag: 'roles', summary: 'List roles', description: 'Roles with their permissions. Bare array; the total is in X-Total-Count.', permissions: ['role:list'], input: ListRolesInputSchema, response: { status: 200, kind: 'items', schema: RoleSchema } },
  { operationId: 'role_create', method: 'POST', path: '/api/roles', tag: 'roles', summary: 'Create a role', description: 'Creates a custom role with permissions given by id or name. You can only hand out permissions you hold.', permissions: ['role:create'], input: CreateRoleInputSchema, response: { status: 201, kind: 'body', schema: RoleSchema } },
  { operationId: 'role_get', method: 'GET', path: '/api/roles/{id}', tag: 'roles', summary: 'Get a role', description: `One role by ${id('role')}, with its permissions.`, permissions: ['role:read'], response: { status: 200, kind: 'body', schema: RoleSchema } },
  { operationId: 'role_update', method: 'PUT', path: '/api/roles/{id}', tag: 'roles', summary: 'Update a role', description: 'Changes a custom role\'s description and/or replaces its whole permission set. System roles cannot change (400 SYSTEM_ROLE).', permissions: ['role:update'], input: UpdateRoleInputSchema, response: { status: 200, kind: 'body', schema: RoleSchema } },
  { operationId: 'role_delete', method: 'DELETE', path: '/api/roles/{id}', tag: 'roles', summary: 'Delete a role', description: 'Deletes a custom role. System roles cannot be deleted (400 SYSTEM_ROLE).', permissions: ['role:delete'], response: { status: 204, kind: 'empty' } },
  { operationId: 'role_permissions', method: 'GET', path: '/api/roles/{id}/permissions', tag: 'roles', summary: 'A role\'s permissions', description: 'A role and the permissions it grants.', permissions: ['role:read'], response: { status: 200, kind: 'body', schema: RolePermissionsSchema } },
  { operationId: 'permission_list', method: 'GET', path: '/api/permissions', tag: 'roles', summary: 'List permissions', description: 'The permission catalogue (names double as OAuth scopes). Bare array; the total is in X-Total-Count.', permissions: ['role:list'], input: ListPermissionsInputSchema, response: { status: 200, kind: 'items', schema: PermissionSchema } },

  // --- audit (src/http/rest/audit.ts) ---
  { operationId: 'audit_list', method: 'GET', path: '/api/audit', tag: 'audit', summary: 'List audit entries', description: 'Audit entries, newest first, with filters. Bare array; the total is in X-Total-Count.', permissions: ['audit:list'], input: ListAuditInputSchema, response: { status: 200, kind: 'items', schema: AuditEntrySchema } },
  { operationId: 'audit_export', method: 'GET', path: '/api/audit/export', tag: 'audit', summary: 'Export the audit log', description: 'The whole filtered audit log as a CSV (default) or JSON attachment, streamed without a row cap.', permissions: ['audit:export'], input: ExportAuditInputSchema, response: { status: 200, kind: 'export', schema: AuditEntrySchema } },
  { operationId: 'audit_get', method: 'GET', path: '/api/audit/{id}', tag: 'audit', summary: 'Get an audit entry', description: `One audit entry by ${id('entry')}.`, permissions: ['audit:read'], response: { status: 200, kind: 'body', schema: AuditEntrySchema } },

  // --- OAuth clients and authorizations (src/http/rest/oauth-clients.ts) ---
  { operationId: 'oauth_client_list', method: 'GET', path: '/api/oauth/clients', tag: 'oauth', summary: 'List OAuth clients', description: 'OAuth clients, newest first, never with secrets. Holders of user:list see every client (self-registered, metadata-document and API-registered) and need nothing else; other callers need apikey:list and see only the clients they registered through POST /api/oauth/clients. Bare array; the total is in X-Total-Count.', permissions: ['apikey:list'], input: ListOAuthClientsInputSchema, response: { status: 200, kind: 'items', schema: OAuthClientSchema } },
  { operationId: 'oauth_client_create', method: 'POST', path: '/api/oauth/clients', tag: 'oauth', summary: 'Register an agent client', description: 'Registers a confidential OAuth client bound to the caller: an agent that gets access tokens with grant_type=client_credentials (and, with redirect_uris, the authorization-code flow) and acts as the caller. The client_secret is returned once; only its SHA-256 is stored. scope defaults to rackd:read and bounds what the client may request; an unknown scope is 400 VALIDATION_ERROR. Tokens never exceed the owner\'s current permissions.', permissions: ['apikey:create'], input: CreateOAuthClientInputSchema, response: { status: 201, kind: 'body', schema: CreatedOAuthClientSchema } },
  { operationId: 'oauth_client_delete', method: 'DELETE', path: '/api/oauth/clients/{id}', tag: 'oauth', summary: 'Delete an OAuth client', description: `Deletes a client by ${id('client')} (the \`id\` field, not client_id) with its codes, grants and refresh tokens; its access tokens are refused from the next request on. A client you registered through the API needs apikey:delete; any other client needs user:delete, and user:list to see it at all (404 otherwise).`, permissions: ['apikey:delete'], response: { status: 204, kind: 'empty' } },
  { operationId: 'oauth_authorization_list', method: 'GET', path: '/api/oauth/authorizations', tag: 'oauth', summary: 'Your authorized applications', description: 'The applications the caller signed in with OAuth that still hold a live grant: one item per client with the union of the scopes granted, most recently used first. Only the caller\'s own grants; any authenticated user. Not paged (the query string is ignored); the total is in X-Total-Count.', permissions: [], response: { status: 200, kind: 'items', schema: OAuthAuthorizationSchema } },
  { operationId: 'oauth_authorization_revoke', method: 'DELETE', path: '/api/oauth/authorizations/{id}', tag: 'oauth', summary: 'Revoke an application', description: 'Revokes every live grant the caller gave the client whose id (`client.id` in the list) is in the path: its refresh and access tokens stop working on the next request. 404 when the caller has no live grant for it. Any authenticated user, for their own grants only.', permissions: [], response: { status: 204, kind: 'empty' } },

  // --- webhooks (src/http/rest/webhooks.ts; the rest of /api/webhooks comes from the catalogue) ---
  { operationId: 'webhook_event_types', method: 'GET', path: '/api/webhooks/events', tag: 'webhooks', summary: 'Webhook event types', description: 'The event catalogue: every type a webhook can subscribe to, with label and description (value repeats type for Rackd clients). Any authenticated caller. Bare array; the total is in X-Total-Count.', permissions: [], response: { status: 200, kind: 'items', schema: EventTypeSchema } },

  // --- OAuth discovery (src/oauth/routes.ts); the protocol endpoints are described in docs/api.md ---
  { operationId: 'oauth_authorization_server_metadata', method: 'GET', path: '/.well-known/oauth-authorization-server', tag: 'oauth', summary: 'Authorization-server metadata', description: `RFC 8414 metadata of rackd's OAuth 2.1 authorization server: endpoints, scopes, PKCE S256, client authentication methods.${oauthOnly}`, permissions: [], public: true, response: { status: 200, kind: 'body', schema: AuthorizationServerMetadata } },
  { operationId: 'oauth_protected_resource_metadata', method: 'GET', path: '/.well-known/oauth-protected-resource/mcp', tag: 'oauth', summary: 'Protected-resource metadata of /mcp', description: `RFC 9728 metadata of the /mcp resource; the resource_metadata URL of every /mcp challenge points here.${oauthOnly}`, permissions: [], public: true, response: { status: 200, kind: 'body', schema: ProtectedResourceMetadata } },
  { operationId: 'oauth_protected_resource_metadata_root', method: 'GET', path: '/.well-known/oauth-protected-resource', tag: 'oauth', summary: 'Protected-resource metadata (root)', description: `The same document as /.well-known/oauth-protected-resource/mcp, for clients that only try the root.${oauthOnly}`, permissions: [], public: true, response: { status: 200, kind: 'body', schema: ProtectedResourceMetadata } },
  { operationId: 'oauth_jwks', method: 'GET', path: '/mcp-oauth/jwks', tag: 'oauth', summary: 'Token signing keys', description: `The public Ed25519 key that signs access tokens (JWTs, typ at+jwt), derived from the master key.${oauthOnly}`, permissions: [], public: true, response: { status: 200, kind: 'body', schema: Jwks } },
];
