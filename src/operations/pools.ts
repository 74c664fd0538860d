import { DeletedSchema, IdInputSchema } from '../../schemas/common.ts';
import {
  AllocateIpInputSchema,
  AllocationSchema,
  HeatmapSchema,
  ListPoolsInputSchema,
  NextIpSchema,
  PoolDetailSchema,
  PoolIdInputSchema,
  PoolPageSchema,
  SavePoolInputSchema,
} from '../../schemas/pools.ts';
import { allocateIp } from '../services/pools/allocate.ts';
import { deletePool } from '../services/pools/delete.ts';
import { getPool } from '../services/pools/get.ts';
import { getPoolHeatmap } from '../services/pools/heatmap.ts';
import { listPools } from '../services/pools/list.ts';
import { getPoolNextIp } from '../services/pools/next-ip.ts';
import { savePool } from '../services/pools/save.ts';
import { defineOperation } from './types.ts';

export const poolOperations = [
  defineOperation({
    name: 'pool_list',
    title: 'List IP pools',
    description: 'List IP pools sorted by name, optionally only those of one network (network_id). Returns a page with items, total and next_cursor.',
    permission: 'pool:list',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: ListPoolsInputSchema,
    output: PoolPageSchema,
    run: listPools,
    http: [
      { method: 'GET', path: '/api/networks/:network_id/pools', response: 'items' },
      { method: 'GET', path: '/api/pools', response: 'items' },
    ],
    toolset: 'ipam',
  }),
  defineOperation({
    name: 'pool_get',
    title: 'Get an IP pool',
    description: 'Get one IP pool by id, with its utilization (total, used = device addresses + active reservations, available).',
    permission: 'pool:read',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: IdInputSchema,
    output: PoolDetailSchema,
    run: getPool,
    http: { method: 'GET', path: '/api/pools/:id' },
    toolset: 'ipam',
  }),
  defineOperation({
    name: 'pool_save',
    title: 'Create or update an IP pool',
    description:
      'Create a pool in a network (omit id; network_id, name, start_ip and end_ip required) or update one (give id; only the fields you send change). ' +
      'start_ip ≤ end_ip, both of the network\'s IP version and inside its usable hosts (an IPv4 /30 or shorter excludes the network and broadcast address); ' +
      'otherwise VALIDATION_ERROR. A range overlapping another pool of the same network is a CONFLICT, as is shrinking a range past addresses in use. ' +
      'Device addresses of the network already inside a new range become part of the pool.',
    permission: ['pool:create', 'pool:update'],
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: SavePoolInputSchema,
    output: PoolDetailSchema,
    run: savePool,
    http: [
      { method: 'POST', path: '/api/networks/:network_id/pools', status: 201, forbid: ['id'] },
      { method: 'PUT', path: '/api/pools/:id', forbid: ['network_id'] },
    ],
    toolset: 'ipam',
  }),
  defineOperation({
    name: 'pool_delete',
    title: 'Delete an IP pool',
    description: 'Delete a pool with its reservations. Device addresses in it stay on their devices, no longer linked to the pool.',
    permission: 'pool:delete',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: IdInputSchema,
    output: DeletedSchema,
    run: deletePool,
    http: { method: 'DELETE', path: '/api/pools/:id', status: 204 },
    toolset: 'ipam',
  }),
  defineOperation({
    name: 'pool_get_next_ip',
    title: 'Next free IP of a pool',
    description:
      'The lowest address of the pool used neither by a device nor by an active reservation. Read-only and not a promise: to take an address use ip_allocate, ' +
      'which picks and records it atomically. IP_NOT_AVAILABLE when the pool is full.',
    permission: 'pool:read',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: PoolIdInputSchema,
    output: NextIpSchema,
    run: getPoolNextIp,
    http: { method: 'GET', path: '/api/pools/:pool_id/next-ip' },
    toolset: 'ipam',
  }),
  defineOperation({
    name: 'pool_heatmap',
    title: 'Address map of a pool',
    description:
      'Status of every address of the pool from start_ip (available, used by a device — with device_id — or reserved), at most 65,536 entries; truncated tells whether the pool is larger.',
    permission: 'pool:read',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: PoolIdInputSchema,
    output: HeatmapSchema,
    run: getPoolHeatmap,
    http: { method: 'GET', path: '/api/pools/:pool_id/heatmap', response: 'items' },
    toolset: 'ipam',
  }),
  defineOperation({
    name: 'ip_allocate',
    title: 'Allocate an IP address',
    description:
      'Take the lowest free address of a pool and record it in one atomic step: with device_id it becomes a new address of that device (optional label); ' +
      'without, it becomes an active reservation held by you (optional hostname, purpose, notes, expires_at or expires_in_days). ' +
      'Pass an idempotency_key (≤128 chars) so a retry — e.g. after a lost response — returns the same address instead of allocating again ' +
      '(idempotent_replay: true); reusing a key with a different request is a CONFLICT. IP_NOT_AVAILABLE when the pool is full. ' +
      'Requires pool:read plus device:update with device_id, or reservation:create without.',
    permission: ['reservation:create', 'device:update'],
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: AllocateIpInputSchema,
    output: AllocationSchema,
    run: allocateIp,
    http: { method: 'POST', path: '/api/pools/:pool_id/allocate', status: 201 },
    toolset: 'ipam',
  }),
];
