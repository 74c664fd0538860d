import { DeletedSchema, IdInputSchema } from '../../schemas/datacenters.ts';
import { ListScanProfilesInputSchema, SaveScanProfileInputSchema, ScanProfilePageSchema, ScanProfileSchema } from '../../schemas/scan-profiles.ts';
import { deleteScanProfile } from '../services/scan-profiles/delete.ts';
import { getScanProfile } from '../services/scan-profiles/get.ts';
import { listScanProfiles } from '../services/scan-profiles/list.ts';
import { saveScanProfile } from '../services/scan-profiles/save.ts';
import { defineOperation } from './types.ts';

export const scanProfileOperations = [
  defineOperation({
    name: 'scan_profile_list',
    title: 'List scan profiles',
    description:
      'List scan profiles (ports, SNMP/SSH and their credentials, timing), sorted by name. Built-ins: default-quick, default-full, default-deep, default-infrastructure.',
    permission: 'scan-profile:list',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: ListScanProfilesInputSchema,
    output: ScanProfilePageSchema,
    run: (env, ctx, input) => listScanProfiles(env, ctx, input),
    http: { method: 'GET', path: '/api/scan-profiles', response: 'items' },
  }),
  defineOperation({
    name: 'scan_profile_get',
    title: 'Get a scan profile',
    description: 'Get one scan profile by id (e.g. default-quick).',
    permission: 'scan-profile:read',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: IdInputSchema,
    output: ScanProfileSchema,
    run: (env, ctx, input) => getScanProfile(env, ctx, input.id),
    http: { method: 'GET', path: '/api/scan-profiles/:id' },
  }),
  defineOperation({
    name: 'scan_profile_save',
    title: 'Create or update a scan profile',
    description:
      'Create a scan profile (omit id; name and scan_type required) or update one (give id; only the fields sent change). snmp_credential_id must name an snmp_v2c/snmp_v3 credential and ssh_credential_id an ssh_password/ssh_key one. Built-in profiles can be tuned but keep their name and scan type.',
    permission: ['scan-profile:create', 'scan-profile:update'],
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: SaveScanProfileInputSchema,
    output: ScanProfileSchema,
    run: (env, ctx, input) => saveScanProfile(env, ctx, input),
    http: [
      { method: 'POST', path: '/api/scan-profiles', status: 201, forbid: ['id'] },
      { method: 'PUT', path: '/api/scan-profiles/:id' },
    ],
  }),
  defineOperation({
    name: 'scan_profile_delete',
    title: 'Delete a scan profile',
    description: 'Delete a scan profile. Built-in profiles cannot be deleted; a profile used by scheduled scans is IN_USE.',
    permission: 'scan-profile:delete',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: IdInputSchema,
    output: DeletedSchema,
    run: (env, ctx, input) => deleteScanProfile(env, ctx, input.id),
    http: { method: 'DELETE', path: '/api/scan-profiles/:id', status: 204 },
  }),
];
