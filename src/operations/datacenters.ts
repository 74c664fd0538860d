import { DeletedSchema } from '../../schemas/common.ts';
import {
  DatacenterPageSchema,
  DatacenterSchema,
  ListDatacentersInputSchema,
  SaveDatacenterInputSchema,
} from '../../schemas/datacenters.ts';
import { deleteDatacenter } from '../services/datacenters/delete.ts';
import { getDatacenter } from '../services/datacenters/get.ts';
import { listDatacenters } from '../services/datacenters/list.ts';
import { saveDatacenter } from '../services/datacenters/save.ts';
import { crud } from './crud.ts';

const c = crud({ entity: 'datacenter', permission: 'datacenter', path: '/api/datacenters', toolset: 'inventory' });

export const datacenterOperations = [
  c.list({
    title: 'List datacenters',
    description: 'Datacenters (sites) by name; filter by name substring.',
    input: ListDatacentersInputSchema,
    output: DatacenterPageSchema,
    run: listDatacenters,
  }),
  c.get({
    title: 'Get a datacenter',
    description: 'One datacenter.',
    output: DatacenterSchema,
    run: getDatacenter,
  }),
  c.save({
    title: 'Create or update a datacenter',
    description: 'Create (name required) or update a datacenter.',
    input: SaveDatacenterInputSchema,
    output: DatacenterSchema,
    run: saveDatacenter,
  }),
  c.remove({
    title: 'Delete a datacenter',
    description: 'Delete a datacenter (its devices are unlinked); IN_USE while networks are in it.',
    output: DeletedSchema,
    run: deleteDatacenter,
  }),
];
