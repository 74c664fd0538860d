import { DeletedSchema, IdInputSchema } from '../../schemas/common.ts';
import {
  DeletedCountSchema,
  DiffInputSchema,
  DiffSchema,
  DiscoveredDeviceSchema,
  DiscoveredPageSchema,
  DiscoveryScanSchema,
  ListDiscoveredInputSchema,
  ListScansInputSchema,
  NetworkIdInputSchema,
  PromoteInputSchema,
  ScanPageSchema,
  StartScanInputSchema,
} from '../../schemas/discovery.ts';
import { DeviceSchema } from '../../schemas/devices.ts';
import { cancelScan } from '../services/discovery/cancel-scan.ts';
import { deleteDiscovered, deleteNetworkDiscovered } from '../services/discovery/delete-discovered.ts';
import { deleteScan } from '../services/discovery/delete-scan.ts';
import { discoveryDiff } from '../services/discovery/diff.ts';
import { getDiscovered } from '../services/discovery/get-discovered.ts';
import { getScan } from '../services/discovery/get-scan.ts';
import { listDiscovered } from '../services/discovery/list-discovered.ts';
import { listScans } from '../services/discovery/list-scans.ts';
import { promoteDiscovered } from '../services/discovery/promote.ts';
import { startScan } from '../services/discovery/start-scan.ts';
import { defineOperation } from './types.ts';

const READ = { readOnly: true, destructive: false, idempotent: true } as const;

export const discoveryOperations = [
  defineOperation({
    name: 'discovery_scan',
    title: 'Scan a network',
    description:
      'Start a discovery scan of one network (TCP connect probes of every address of its subnet, at most a /16; a host is up when a port accepts or refuses). ' +
      'Choose scan_type (quick, full, deep), explicit ports, or a profile_id (its ports, SNMP/SSH credentials and limits); exclude skips addresses. ' +
      'Returns the pending scan at once, or with wait=true waits up to max_wait_seconds (≤120) and returns the final scan — progress notifications are sent when the request carries a progress token. ' +
      'Found hosts appear in discovery_list; poll discovery_scan_get for a scan that is still running.',
    permission: 'discovery:create',
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: StartScanInputSchema,
    output: DiscoveryScanSchema,
    run: startScan,
    http: { method: 'POST', path: '/api/discovery/networks/:network_id/scan', status: 202, forbid: ['wait', 'max_wait_seconds'] },
    toolset: 'discovery',
  }),
  defineOperation({
    name: 'discovery_scan_list',
    title: 'List discovery scans',
    description: 'List discovery scans, newest first, with their status, counts and progress. Filter by network_id or status.',
    permission: 'discovery:list',
    annotations: READ,
    input: ListScansInputSchema,
    output: ScanPageSchema,
    run: listScans,
    http: { method: 'GET', path: '/api/discovery/scans', response: 'items' },
    toolset: 'discovery',
  }),
  defineOperation({
    name: 'discovery_scan_get',
    title: 'Get a discovery scan',
    description: 'Get one scan: status (pending, running, completed, failed, cancelled), scanned/found counts, progress_percent and any error.',
    permission: 'discovery:read',
    annotations: READ,
    input: IdInputSchema,
    output: DiscoveryScanSchema,
    run: getScan,
    http: { method: 'GET', path: '/api/discovery/scans/:id' },
    toolset: 'discovery',
  }),
  defineOperation({
    name: 'discovery_scan_cancel',
    title: 'Cancel a discovery scan',
    description: 'Stop a pending or running scan now; hosts found so far are kept and the scan ends as cancelled with its partial counts.',
    permission: 'discovery:delete',
    annotations: { readOnly: false, destructive: true, idempotent: false },
    input: IdInputSchema,
    output: DiscoveryScanSchema,
    run: cancelScan,
    http: { method: 'POST', path: '/api/discovery/scans/:id/cancel' },
    toolset: 'discovery',
  }),
  defineOperation({
    name: 'discovery_scan_delete',
    title: 'Delete a discovery scan',
    description: 'Delete a scan record (a running scan is cancelled first). The hosts it found stay in discovery_list.',
    permission: 'discovery:delete',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: IdInputSchema,
    output: DeletedSchema,
    run: deleteScan,
    http: { method: 'DELETE', path: '/api/discovery/scans/:id', status: 204 },
    toolset: 'discovery',
  }),
  defineOperation({
    name: 'discovery_list',
    title: 'List discovered hosts',
    description:
      'List hosts found by discovery (one per network and IP) with MAC, vendor, host name, open ports, services, OS and device-type guesses. ' +
      'Filter by network_id; promoted=false lists hosts not yet in the inventory. To keep pages small, facts.snmp carries ' +
      'interface_count and arp_count instead of the interface and ARP tables; discovery_get returns them.',
    permission: 'discovery:list',
    annotations: READ,
    input: ListDiscoveredInputSchema,
    output: DiscoveredPageSchema,
    run: listDiscovered,
    http: { method: 'GET', path: '/api/discovery/devices', response: 'items' },
    toolset: 'discovery',
  }),
  defineOperation({
    name: 'discovery_get',
    title: 'Get a discovered host',
    description: 'Get one discovered host with everything discovery learned about it (facts include the reasons behind the OS and device-type guesses).',
    permission: 'discovery:read',
    annotations: READ,
    input: IdInputSchema,
    output: DiscoveredDeviceSchema,
    run: getDiscovered,
    http: { method: 'GET', path: '/api/discovery/devices/:id' },
    toolset: 'discovery',
  }),
  defineOperation({
    name: 'discovery_delete',
    title: 'Delete a discovered host',
    description: 'Delete one discovered host record. A device promoted from it stays in the inventory.',
    permission: 'discovery:delete',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: IdInputSchema,
    output: DeletedSchema,
    run: deleteDiscovered,
    http: { method: 'DELETE', path: '/api/discovery/devices/:id', status: 204 },
    toolset: 'discovery',
  }),
  defineOperation({
    name: 'discovery_delete_network',
    title: 'Delete the discovered hosts of a network',
    description: 'Delete every discovered host record of one network. Devices promoted from them stay in the inventory.',
    permission: 'discovery:delete',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: NetworkIdInputSchema,
    output: DeletedCountSchema,
    run: deleteNetworkDiscovered,
    http: { method: 'DELETE', path: '/api/discovery/devices', status: 204 },
    toolset: 'discovery',
  }),
  defineOperation({
    name: 'discovery_promote',
    title: 'Promote a discovered host to a device',
    description:
      'Create an inventory device from a discovered host: name is required; host name, make/model (MAC vendor), OS and a description default to what discovery saw. ' +
      'The address is linked to the network and claimed in the pool holding it. Needs device:create as well. A host already promoted is refused (ALREADY_EXISTS).',
    permission: 'discovery:create',
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: PromoteInputSchema,
    output: DeviceSchema,
    run: promoteDiscovered,
    http: { method: 'POST', path: '/api/discovery/devices/:discovered_id/promote', status: 201 },
    toolset: 'discovery',
  }),
  defineOperation({
    name: 'discovery_diff',
    title: 'Compare discovery with the inventory',
    description:
      'Report drift for one network, changing nothing: hosts discovery saw that no device has an address for, inventory addresses in the subnet not seen for stale_days days (or never), ' +
      'and MAC changes or host names that differ from the matching device. Use it to propose fixes (promote, update, retire) for a person to approve.',
    permission: 'discovery:read',
    annotations: READ,
    input: DiffInputSchema,
    output: DiffSchema,
    run: discoveryDiff,
    http: { method: 'GET', path: '/api/discovery/networks/:network_id/diff' },
    toolset: 'discovery',
  }),
];
