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
    description:
      'List scan profiles (ports, SNMP/SSH and their credentials, timing), sorted by name. Built-ins: default-quick, default-full, default-deep, default-infrastructure.',
    input: ListScanProfilesInputSchema,
    output: ScanProfilePageSchema,
    run: listScanProfiles,
  }),
  c.get({
    title: 'Get a scan profile',
    description: 'Get one scan profile by id (e.g. default-quick).',
    output: ScanProfileSchema,
    run: getScanProfile,
  }),
  c.save({
    title: 'Create or update a scan profile',
    description:
      'Create a scan profile (omit id; name and scan_type required) or update one (give id; only the fields sent change). snmp_credential_id must name an snmp_v2c/snmp_v3 credential and ssh_credential_id an ssh_password/ssh_key one. Built-in profiles can be tuned but keep their name and scan type.',
    input: SaveScanProfileInputSchema,
    output: ScanProfileSchema,
    run: saveScanProfile,
  }),
  c.remove({
    title: 'Delete a scan profile',
    description: 'Delete a scan profile. Built-in profiles cannot be deleted; a profile used by scheduled scans is IN_USE.',
    output: DeletedSchema,
    run: deleteScanProfile,
  }),
];
