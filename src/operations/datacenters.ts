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
    description: 'List datacenters (sites), sorted by name. Filter by a substring of the name. Returns a page with items, total and next_cursor.',
    input: ListDatacentersInputSchema,
    output: DatacenterPageSchema,
    run: listDatacenters,
  }),
  c.get({
    title: 'Get a datacenter',
    description: 'Get one datacenter by id.',
    output: DatacenterSchema,
    run: getDatacenter,
  }),
  c.save({
    title: 'Create or update a datacenter',
    description:
      'Create a datacenter (omit id; name required) or update one (give id). On update only the fields you send change; omitted fields keep their values.',
    input: SaveDatacenterInputSchema,
    output: DatacenterSchema,
    run: saveDatacenter,
  }),
  c.remove({
    title: 'Delete a datacenter',
    description: 'Delete a datacenter. Devices in it are unlinked; a datacenter that networks still use cannot be deleted (IN_USE).',
    output: DeletedSchema,
    run: deleteDatacenter,
  }),
];
