import {
  DatacenterPageSchema,
  DatacenterSchema,
  DeletedSchema,
  IdInputSchema,
  ListDatacentersInputSchema,
  SaveDatacenterInputSchema,
} from '../../schemas/datacenters.ts';
import { deleteDatacenter } from '../services/datacenters/delete.ts';
import { getDatacenter } from '../services/datacenters/get.ts';
import { listDatacenters } from '../services/datacenters/list.ts';
import { saveDatacenter } from '../services/datacenters/save.ts';
import { defineOperation } from './types.ts';

export const datacenterOperations = [
  defineOperation({
    name: 'datacenter_list',
    title: 'List datacenters',
    description: 'List datacenters (sites), sorted by name. Filter by a substring of the name. Returns a page with items, total and next_cursor.',
    permission: 'datacenter:list',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: ListDatacentersInputSchema,
    output: DatacenterPageSchema,
    run: (env, ctx, input) => listDatacenters(env, ctx, input),
    http: { method: 'GET', path: '/api/datacenters', response: 'items' },
  }),
  defineOperation({
    name: 'datacenter_get',
    title: 'Get a datacenter',
    description: 'Get one datacenter by id.',
    permission: 'datacenter:read',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: IdInputSchema,
    output: DatacenterSchema,
    run: (env, ctx, input) => getDatacenter(env, ctx, input.id),
    http: { method: 'GET', path: '/api/datacenters/:id' },
  }),
  defineOperation({
    name: 'datacenter_save',
    title: 'Create or update a datacenter',
    description:
      'Create a datacenter (omit id; name required) or update one (give id). On update only the fields you send change; omitted fields keep their values.',
    permission: ['datacenter:create', 'datacenter:update'],
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: SaveDatacenterInputSchema,
    output: DatacenterSchema,
    run: (env, ctx, input) => saveDatacenter(env, ctx, input),
    http: [
      { method: 'POST', path: '/api/datacenters', status: 201, forbid: ['id'] },
      { method: 'PUT', path: '/api/datacenters/:id' },
    ],
  }),
  defineOperation({
    name: 'datacenter_delete',
    title: 'Delete a datacenter',
    description: 'Delete a datacenter. Devices in it are unlinked; a datacenter that networks still use cannot be deleted (IN_USE).',
    permission: 'datacenter:delete',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: IdInputSchema,
    output: DeletedSchema,
    run: (env, ctx, input) => deleteDatacenter(env, ctx, input.id),
    http: { method: 'DELETE', path: '/api/datacenters/:id', status: 204 },
  }),
];
