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
    description: 'IP pools by name, optionally of one network.',
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
    description: 'One pool with its utilization (device addresses + active reservations).',
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
    description: 'Create (network_id, name, start_ip, end_ip required) or update a pool. The range must lie in the network\'s usable hosts; overlapping another pool, or shrinking past used addresses, is a CONFLICT. Device addresses in a new range join the pool.',
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
    description: 'Delete a pool and its reservations; device addresses in it are unlinked.',
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
    description: 'The lowest free address of a pool; read-only, so use ip_allocate to take one. IP_NOT_AVAILABLE when full.',
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
    description: 'Status of each address from start_ip (available, used with device_id, reserved), at most 65,536.',
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
    description: 'Take the lowest free address of a pool atomically: with device_id as a new address of that device, else as an active reservation of yours. A retry with the same idempotency_key returns the same address (idempotent_replay); the key with another request is a CONFLICT. IP_NOT_AVAILABLE when full. Needs pool:read and device:update or reservation:create.',
    permission: ['reservation:create', 'device:update'],
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: AllocateIpInputSchema,
    output: AllocationSchema,
    run: allocateIp,
    http: { method: 'POST', path: '/api/pools/:pool_id/allocate', status: 201 },
    toolset: 'ipam',
  }),
];
