import { CredentialPageSchema, CredentialSchema, ListCredentialsInputSchema, SaveCredentialInputSchema } from '../../schemas/credentials.ts';
import { DeletedSchema, IdInputSchema } from '../../schemas/datacenters.ts';
import { deleteCredential } from '../services/credentials/delete.ts';
import { getCredential } from '../services/credentials/get.ts';
import { listCredentials } from '../services/credentials/list.ts';
import { saveCredential } from '../services/credentials/save.ts';
import { defineOperation } from './types.ts';

// Rackd's field names for the SNMPv3 secrets, accepted on REST.
const RACKD_NAMES = { snmp_v3_auth: 'snmp_v3_auth_key', snmp_v3_priv: 'snmp_v3_priv_key' };

export const credentialOperations = [
  defineOperation({
    name: 'credential_list',
    title: 'List discovery credentials',
    description:
      'List the SNMP and SSH credentials discovery scans can use, sorted by name. Secrets are never returned: has_* flags say which are stored. Filter by type or datacenter_id.',
    permission: 'credential:list',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: ListCredentialsInputSchema,
    output: CredentialPageSchema,
    run: (env, ctx, input) => listCredentials(env, ctx, input),
    http: { method: 'GET', path: '/api/credentials', response: 'items' },
  }),
  defineOperation({
    name: 'credential_get',
    title: 'Get a discovery credential',
    description: 'Get one credential by id, without its secrets (has_* flags only).',
    permission: 'credential:read',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: IdInputSchema,
    output: CredentialSchema,
    run: (env, ctx, input) => getCredential(env, ctx, input.id),
    http: { method: 'GET', path: '/api/credentials/:id' },
  }),
  defineOperation({
    name: 'credential_save',
    title: 'Create or update a discovery credential',
    description:
      'Create a credential (omit id; name and type required, plus the type\'s secrets: snmp_v2c → snmp_community; snmp_v3 → snmp_v3_user, snmp_v3_auth_key, snmp_v3_priv_key; ssh_password → ssh_username, ssh_password; ssh_key → ssh_username, ssh_private_key) or update one (give id; only the fields sent change, secrets not sent are kept). Secrets are stored encrypted and never returned. Attach the credential to a scan profile (scan_profile_save) to use it.',
    permission: ['credential:create', 'credential:update'],
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: SaveCredentialInputSchema,
    output: CredentialSchema,
    run: (env, ctx, input) => saveCredential(env, ctx, input),
    http: [
      { method: 'POST', path: '/api/credentials', status: 201, forbid: ['id'], rename: RACKD_NAMES },
      { method: 'PUT', path: '/api/credentials/:id', rename: RACKD_NAMES },
    ],
  }),
  defineOperation({
    name: 'credential_delete',
    title: 'Delete a discovery credential',
    description: 'Delete a credential. A credential that a scan profile still names cannot be deleted (IN_USE): change the profile first.',
    permission: 'credential:delete',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: IdInputSchema,
    output: DeletedSchema,
    run: (env, ctx, input) => deleteCredential(env, ctx, input.id),
    http: { method: 'DELETE', path: '/api/credentials/:id', status: 204 },
  }),
];
