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
    description:
      'List networks (IPv4/IPv6 subnets), sorted by name. Filter by a substring of the name, by datacenter_id or by vlan_id. Returns a page with items, total and next_cursor.',
    input: ListNetworksInputSchema,
    output: NetworkPageSchema,
    run: listNetworks,
  }),
  c.get({
    title: 'Get a network',
    description: 'Get one network by id.',
    output: NetworkSchema,
    run: getNetwork,
  }),
  c.save({
    title: 'Create or update a network',
    description:
      'Create a network (omit id; name and subnet required) or update one (give id; only the fields you send change). ' +
      'subnet is an IPv4 or IPv6 CIDR with a prefix length; host bits are cleared, so 10.0.0.5/24 is stored and returned as 10.0.0.0/24 ' +
      '(IPv6 in RFC 5952 form). vlan_id is 1–4094 (null clears it); datacenter_id must exist (NOT_FOUND otherwise). ' +
      'Changing the subnet fails with CONFLICT if a pool of the network would fall outside it. A new network, or a wider ' +
      'subnet, takes in the device addresses inside it that had no network yet (addresses already in a network stay there).',
    input: SaveNetworkInputSchema,
    output: NetworkSchema,
    run: saveNetwork,
  }),
  c.remove({
    title: 'Delete a network',
    description:
      'Delete a network. Its pools are deleted with it (with their reservations); device addresses in it stay on their devices but lose their network and pool link.',
    output: DeletedSchema,
    run: deleteNetwork,
  }),
  defineOperation({
    name: 'network_utilization',
    title: 'Network utilization',
    description:
      'How many usable host addresses a network has and how many device addresses use them. Exact for IPv4 (size−2 hosts up to /30, 2 for /31, 1 for /32); ' +
      'for IPv6 the whole prefix counts and the *_exact fields give the exact decimal numbers.',
    permission: 'network:read',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: IdInputSchema,
    output: NetworkUtilizationSchema,
    run: getNetworkUtilization,
    http: { method: 'GET', path: '/api/networks/:id/utilization' },
    toolset: 'ipam',
  }),
];
