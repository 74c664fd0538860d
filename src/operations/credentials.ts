import { CredentialPageSchema, CredentialSchema, ListCredentialsInputSchema, SaveCredentialInputSchema } from '../../schemas/credentials.ts';
import { DeletedSchema } from '../../schemas/common.ts';
import { deleteCredential } from '../services/credentials/delete.ts';
import { getCredential } from '../services/credentials/get.ts';
import { listCredentials } from '../services/credentials/list.ts';
import { saveCredential } from '../services/credentials/save.ts';
import { crud } from './crud.ts';

// Rackd's field names for the SNMPv3 secrets, accepted on REST.
const RACKD_NAMES = { snmp_v3_auth: 'snmp_v3_auth_key', snmp_v3_priv: 'snmp_v3_priv_key' };

const c = crud({ entity: 'credential', permission: 'credential', path: '/api/credentials', toolset: 'discovery' });

export const credentialOperations = [
  c.list({
    title: 'List discovery credentials',
    description: 'SNMP and SSH credentials for scans, by name (secrets never returned: has_* flags); filter by type or datacenter_id.',
    input: ListCredentialsInputSchema,
    output: CredentialPageSchema,
    run: listCredentials,
  }),
  c.get({
    title: 'Get a discovery credential',
    description: 'One credential, without secrets.',
    output: CredentialSchema,
    run: getCredential,
  }),
  c.save({
    title: 'Create or update a discovery credential',
    description: 'Create (name, type and its secrets required: snmp_v2c → snmp_community; snmp_v3 → user, auth and priv keys; ssh_password → username, password; ssh_key → username, private key) or update a credential (secrets not sent are kept). Secrets are stored encrypted, never returned. Use it through a scan profile.',
    input: SaveCredentialInputSchema,
    output: CredentialSchema,
    run: saveCredential,
    http: { rename: RACKD_NAMES },
  }),
  c.remove({
    title: 'Delete a discovery credential',
    description: 'Delete a credential; IN_USE while a scan profile names it.',
    output: DeletedSchema,
    run: deleteCredential,
  }),
];
