// OAuth client management and the caller's own authorizations under /api/oauth (the protocol
// endpoints, /mcp-oauth/*, are src/oauth/). REST only: the web UI's pages.
import { EmptyInputSchema, IdInputSchema, NoOutputSchema } from '../../schemas/common.ts';
import { CreatedOAuthClientSchema, CreateOAuthClientInputSchema, ListOAuthClientsInputSchema, OAuthAuthorizationListSchema, OAuthClientPageSchema } from '../../schemas/oauth.ts';
import { listOAuthAuthorizations, revokeOAuthAuthorization } from '../services/oauth/authorizations.ts';
import { createOAuthClient } from '../services/oauth/create-client.ts';
import { deleteOAuthClient } from '../services/oauth/delete-client.ts';
import { listOAuthClients } from '../services/oauth/list-clients.ts';
import { DELETE, READ, WRITE } from './crud.ts';
import { defineOperation } from './types.ts';

export const oauthOperations = [
  defineOperation({
    name: 'oauth_client_list',
    title: 'List OAuth clients',
    description:
      'OAuth clients, newest first, never with secrets. Holders of user:list see every client (self-registered, metadata-document and API-registered); holders of apikey:list alone see the clients they registered through POST /api/oauth/clients.',
    permission: ['apikey:list', 'user:list'],
    annotations: READ,
    input: ListOAuthClientsInputSchema,
    output: OAuthClientPageSchema,
    run: listOAuthClients,
    http: { method: 'GET', path: '/api/oauth/clients', response: 'items' },
  }),
  defineOperation({
    name: 'oauth_client_create',
    title: 'Register an agent client',
    description:
      "Registers a confidential OAuth client bound to the caller: an agent that gets access tokens with grant_type=client_credentials (and, with redirect_uris, the authorization-code flow) and acts as the caller. The client_secret is returned once; only its SHA-256 is stored. scope defaults to rackd:read and bounds what the client may request; an unknown scope is 400 VALIDATION_ERROR. Tokens never exceed the owner's current permissions.",
    permission: 'apikey:create',
    annotations: WRITE,
    input: CreateOAuthClientInputSchema,
    output: CreatedOAuthClientSchema,
    run: createOAuthClient,
    http: { method: 'POST', path: '/api/oauth/clients', status: 201, requireBody: true },
  }),
  defineOperation({
    name: 'oauth_client_delete',
    title: 'Delete an OAuth client',
    description:
      'Deletes a client by its `id` (not client_id) with its codes, grants and refresh tokens; its access tokens are refused from the next request on. A client you registered through the API needs apikey:delete; any other client needs user:delete, and user:list to see it at all (404 otherwise).',
    permission: ['apikey:delete', 'user:delete'],
    annotations: DELETE,
    input: IdInputSchema,
    output: NoOutputSchema,
    run: deleteOAuthClient,
    http: { method: 'DELETE', path: '/api/oauth/clients/:id', status: 204 },
  }),
  defineOperation({
    name: 'oauth_authorization_list',
    title: 'Your authorized applications',
    description:
      'The applications the caller signed in with OAuth that still hold a live grant: one item per client with the union of the scopes granted, most recently used first. Only the caller\'s own grants; any authenticated user. Not paged.',
    permission: 'authenticated',
    annotations: READ,
    input: EmptyInputSchema,
    output: OAuthAuthorizationListSchema,
    run: listOAuthAuthorizations,
    http: { method: 'GET', path: '/api/oauth/authorizations', response: 'items' },
  }),
  defineOperation({
    name: 'oauth_authorization_revoke',
    title: 'Revoke an application',
    description:
      'Revokes every live grant the caller gave the client whose id (`client.id` in the list) is in the path: its refresh and access tokens stop working on the next request. 404 when the caller has no live grant for it. Any authenticated user, for their own grants only.',
    permission: 'authenticated',
    annotations: DELETE,
    input: IdInputSchema,
    output: NoOutputSchema,
    run: revokeOAuthAuthorization,
    http: { method: 'DELETE', path: '/api/oauth/authorizations/:id', status: 204 },
  }),
];
