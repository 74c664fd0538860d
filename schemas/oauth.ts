// Wire contracts of the OAuth client management API (/api/oauth/*). The protocol endpoints
// (/mcp-oauth/*) follow their RFCs instead and are not described here.
import { z } from 'zod';
import { displayText, IdSchema, LimitSchema, OffsetSchema, TimestampSchema } from './common.ts';
import { listOutput } from './paging.ts';

export const OAuthClientSchema = z.object({
  id: IdSchema.describe('Identifier used in /api/oauth/clients/{id}'),
  client_id: z.string().describe('The OAuth client_id (a UUID, or the metadata document URL of a CIMD client)'),
  kind: z.enum(['dcr', 'api', 'cimd']).describe('dcr: registered itself (RFC 7591); api: registered by a user here; cimd: Client ID Metadata Document'),
  client_name: z.string().describe('Name shown on the consent page'),
  redirect_uris: z.array(z.string()).describe('Registered redirect URIs'),
  grant_types: z.array(z.string()).describe('Grant types the client may use'),
  token_endpoint_auth_method: z.string().describe('none, client_secret_basic or client_secret_post'),
  scope: z.string().nullable().describe('Registered scope limit (space-separated), null for none'),
  client_uri: z.string().nullable().describe('Home page of the client'),
  is_confidential: z.boolean().describe('True when the client has a secret'),
  owner_user_id: IdSchema.nullable().describe('User a client registered through the API acts as (client_credentials)'),
  created_at: TimestampSchema,
  last_used_at: TimestampSchema.nullable().describe('Last authorization or token request'),
});
export type OAuthClient = z.infer<typeof OAuthClientSchema>;
export const OAuthClientPageSchema = listOutput(OAuthClientSchema);

export const CreatedOAuthClientSchema = OAuthClientSchema.extend({
  client_secret: z.string().describe('The client secret. Shown once; only its SHA-256 is stored.'),
});

export const CreateOAuthClientInputSchema = z
  .object({
    client_name: displayText().trim().min(1, 'is required').max(200).describe('Name of the agent or application'),
    scope: z
      .string()
      .max(4096)
      .optional()
      .describe('Space-separated scopes the client may request (default rackd:read); the token never exceeds your own permissions'),
    redirect_uris: z
      .array(z.string().max(2048))
      .max(20)
      .optional()
      .describe('Also allow the authorization-code flow with these redirect URIs (client_credentials is always allowed)'),
  })
  .strict();

export const ListOAuthClientsInputSchema = z
  .object({
    kind: z.enum(['dcr', 'api', 'cimd']).optional().describe('Only clients of this kind'),
    limit: LimitSchema,
    offset: OffsetSchema,
  })
  .strict();

export const OAuthAuthorizationSchema = z.object({
  client: OAuthClientSchema.pick({ id: true, client_id: true, kind: true, client_name: true, client_uri: true }),
  scopes: z.array(z.string()).describe('Scopes granted to the client (union of its active grants)'),
  grants: z.number().int().describe('Active grants (sign-ins) of this client for you'),
  first_authorized_at: TimestampSchema,
  last_used_at: TimestampSchema,
});
export type OAuthAuthorization = z.infer<typeof OAuthAuthorizationSchema>;
export const OAuthAuthorizationListSchema = listOutput(OAuthAuthorizationSchema);
