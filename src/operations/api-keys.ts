// API keys for scripts and agents. Every user may hold keys of their own; only administrators see
// or manage other users' keys. Creating one is REST only: the key is shown once, in the answer,
// and a tool's answer would land in a model's context.
import { ApiKeyPageSchema, ApiKeySchema, CreateApiKeyInputSchema, CreatedApiKeySchema, ListApiKeysInputSchema } from '../../schemas/api-keys.ts';
import { DeletedSchema } from '../../schemas/common.ts';
import { createApiKey } from '../services/api-keys/create.ts';
import { deleteApiKey } from '../services/api-keys/delete.ts';
import { getApiKey } from '../services/api-keys/get.ts';
import { listApiKeys } from '../services/api-keys/list.ts';
import { DELETE, READ, WRITE } from './crud.ts';
import { defineOperation } from './types.ts';
import { IdInputSchema } from '../../schemas/common.ts';

export const apiKeyOperations = [
  defineOperation({
    name: 'api_key_list',
    title: 'List API keys',
    description: "The caller's API keys (every user's for administrators), newest first; never the secret.",
    permission: 'apikey:list',
    annotations: READ,
    input: ListApiKeysInputSchema,
    output: ApiKeyPageSchema,
    run: listApiKeys,
    http: { method: 'GET', path: '/api/keys', response: 'items' },
    toolset: 'admin',
  }),
  defineOperation({
    name: 'api_key_create',
    title: 'Create an API key',
    description: 'Creates an API key owned by the caller. The secret `key` is returned once; only its SHA-256 is stored.',
    permission: 'apikey:create',
    annotations: WRITE,
    input: CreateApiKeyInputSchema,
    output: CreatedApiKeySchema,
    run: createApiKey,
    http: { method: 'POST', path: '/api/keys', status: 201, requireBody: true },
  }),
  defineOperation({
    name: 'api_key_get',
    title: 'Get an API key',
    description: 'One API key by id (never the secret). Other users\' keys need administrator rights.',
    permission: 'apikey:read',
    annotations: READ,
    input: IdInputSchema,
    output: ApiKeySchema,
    run: getApiKey,
    http: { method: 'GET', path: '/api/keys/:id' },
    toolset: 'admin',
  }),
  defineOperation({
    name: 'api_key_delete',
    title: 'Delete an API key',
    description: "Revokes an API key at once. Other users' keys need administrator rights.",
    permission: 'apikey:delete',
    annotations: DELETE,
    input: IdInputSchema,
    output: DeletedSchema,
    run: deleteApiKey,
    http: { method: 'DELETE', path: '/api/keys/:id', status: 204 },
    toolset: 'admin',
  }),
];
