import { DeletedSchema, IdInputSchema } from '../../schemas/common.ts';
import { ListNetworksInputSchema, NetworkPageSchema, NetworkSchema, NetworkUtilizationSchema, SaveNetworkInputSchema } from '../../schemas/networks.ts';
import { deleteNetwork } from '../services/networks/delete.ts';
import { getNetwork, getNetworkUtilization } from '../services/networks/get.ts';
import { listNetworks } from '../services/networks/list.ts';
import { saveNetwork } from '../services/networks/save.ts';
import { crud } from './crud.ts';
import { defineOperation } from './types.ts';

const c = crud({ entity: 'network', permission: 'network', path: '/api/networks', toolset: 'ipam' });

export const networkOperations = [
  c.list({
    title: 'List networks',
    description: 'Networks by name; filter by name substring, datacenter_id or vlan_id.',
    input: ListNetworksInputSchema,
    output: NetworkPageSchema,
    run: listNetworks,
  }),
  c.get({
    title: 'Get a network',
    description: 'One network.',
    output: NetworkSchema,
    run: getNetwork,
  }),
  c.save({
    title: 'Create or update a network',
    description: 'Create (name, subnet required) or update a network. CONFLICT when a changed subnet would leave a pool outside. A new or wider subnet takes in the device addresses inside it that had no network.',
    input: SaveNetworkInputSchema,
    output: NetworkSchema,
    run: saveNetwork,
  }),
  c.remove({
    title: 'Delete a network',
    description: 'Delete a network with its pools and their reservations; device addresses in it are unlinked.',
    output: DeletedSchema,
    run: deleteNetwork,
  }),
  defineOperation({
    name: 'network_utilization',
    title: 'Network utilization',
    description: 'Usable host addresses of a network and how many device addresses use them (*_exact: exact IPv6 counts).',
    permission: 'network:read',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: IdInputSchema,
    output: NetworkUtilizationSchema,
    run: getNetworkUtilization,
    http: { method: 'GET', path: '/api/networks/:id/utilization' },
    toolset: 'ipam',
  }),
];
