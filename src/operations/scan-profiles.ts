import { DeletedSchema } from '../../schemas/common.ts';
import { ListScanProfilesInputSchema, SaveScanProfileInputSchema, ScanProfilePageSchema, ScanProfileSchema } from '../../schemas/scan-profiles.ts';
import { deleteScanProfile } from '../services/scan-profiles/delete.ts';
import { getScanProfile } from '../services/scan-profiles/get.ts';
import { listScanProfiles } from '../services/scan-profiles/list.ts';
import { saveScanProfile } from '../services/scan-profiles/save.ts';
import { crud } from './crud.ts';

const c = crud({ entity: 'scan_profile', permission: 'scan-profile', path: '/api/scan-profiles', toolset: 'discovery' });

export const scanProfileOperations = [
  c.list({
    title: 'List scan profiles',
    description: 'Scan profiles (ports, SNMP/SSH and credentials, timing) by name, including the built-in default-*.',
    input: ListScanProfilesInputSchema,
    output: ScanProfilePageSchema,
    run: listScanProfiles,
  }),
  c.get({
    title: 'Get a scan profile',
    description: 'One scan profile (e.g. default-quick).',
    output: ScanProfileSchema,
    run: getScanProfile,
  }),
  c.save({
    title: 'Create or update a scan profile',
    description: 'Create (name, scan_type required) or update a scan profile. snmp_credential_id names an SNMP credential, ssh_credential_id an SSH one. Built-ins keep their name and scan type.',
    input: SaveScanProfileInputSchema,
    output: ScanProfileSchema,
    run: saveScanProfile,
  }),
  c.remove({
    title: 'Delete a scan profile',
    description: 'Delete a scan profile; built-ins cannot be deleted, one used by scheduled scans is IN_USE.',
    output: DeletedSchema,
    run: deleteScanProfile,
  }),
];
