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
    description:
      'List the SNMP and SSH credentials discovery scans can use, sorted by name. Secrets are never returned: has_* flags say which are stored. Filter by type or datacenter_id.',
    input: ListCredentialsInputSchema,
    output: CredentialPageSchema,
    run: listCredentials,
  }),
  c.get({
    title: 'Get a discovery credential',
    description: 'Get one credential by id, without its secrets (has_* flags only).',
    output: CredentialSchema,
    run: getCredential,
  }),
  c.save({
    title: 'Create or update a discovery credential',
    description:
      'Create a credential (omit id; name and type required, plus the type\'s secrets: snmp_v2c → snmp_community; snmp_v3 → snmp_v3_user, snmp_v3_auth_key, snmp_v3_priv_key; ssh_password → ssh_username, ssh_password; ssh_key → ssh_username, ssh_private_key) or update one (give id; only the fields sent change, secrets not sent are kept). Secrets are stored encrypted and never returned. Attach the credential to a scan profile (scan_profile_save) to use it.',
    input: SaveCredentialInputSchema,
    output: CredentialSchema,
    run: saveCredential,
    http: { rename: RACKD_NAMES },
  }),
  c.remove({
    title: 'Delete a discovery credential',
    description: 'Delete a credential. A credential that a scan profile still names cannot be deleted (IN_USE): change the profile first.',
    output: DeletedSchema,
    run: deleteCredential,
  }),
];
