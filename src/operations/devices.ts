// Device operations: list/get/save/delete, status counts, devices of a datacenter or network,
// and the REST-only bulk operations (all-or-nothing, behind the login rate limiter).
import { DeletedSchema, EmptyInputSchema, IdInputSchema } from '../../schemas/common.ts';
import {
  BulkCreateDevicesInputSchema,
  BulkCreateNetworksInputSchema,
  BulkIdsInputSchema,
  BulkResultSchema,
  BulkTagsInputSchema,
  BulkUpdateDevicesInputSchema,
  DevicePageSchema,
  DeviceSchema,
  DevicesOfInputSchema,
  DeviceStatusCountsSchema,
  ListDevicesInputSchema,
  SaveDeviceInputSchema,
} from '../../schemas/devices.ts';
import { bulkCreateDevices, bulkDeleteDevices, bulkUpdateDevices } from '../services/devices/bulk.ts';
import { bulkCreateNetworks, bulkDeleteNetworks } from '../services/devices/bulk-networks.ts';
import { bulkAddDeviceTags, bulkRemoveDeviceTags } from '../services/devices/bulk-tags.ts';
import { deleteDevice } from '../services/devices/delete.ts';
import { listDatacenterDevices, listNetworkDevices } from '../services/devices/devices-of.ts';
import { getDevice } from '../services/devices/get.ts';
import { listDevices } from '../services/devices/list.ts';
import { saveDevice } from '../services/devices/save.ts';
import { deviceStatusCounts } from '../services/devices/status-counts.ts';
import { defineOperation } from './types.ts';

const READ = { readOnly: true, destructive: false, idempotent: true };
const BULK = ' REST only. All-or-nothing in one transaction: if any item fails nothing is written and the answer is 400 with details naming devices[i].field.';

export const deviceOperations = [
  defineOperation({
    name: 'device_list',
    title: 'List devices',
    description:
      'List devices sorted by name, with their addresses, tags and domains. Filters combine with AND: query (full-text prefix search over names, hostnames, descriptions, make/model, OS, location, tags, domains and IPs), tags (device must carry all), datacenter_id, network_id, pool_id, status, stale/stale_days (active devices not updated for N days, default 7). Returns items, total and next_cursor.',
    permission: 'device:list',
    annotations: READ,
    input: ListDevicesInputSchema,
    output: DevicePageSchema,
    run: listDevices,
    http: { method: 'GET', path: '/api/devices', response: 'items', arrayQuery: ['tags'] },
    toolset: 'inventory',
  }),
  defineOperation({
    name: 'device_status_counts',
    title: 'Count devices by status',
    description: 'Number of devices in each lifecycle status (planned, active, maintenance, decommissioned), over all devices.',
    permission: 'device:list',
    annotations: READ,
    input: EmptyInputSchema,
    output: DeviceStatusCountsSchema,
    run: deviceStatusCounts,
    http: { method: 'GET', path: '/api/devices/status-counts' },
    toolset: 'inventory',
  }),
  defineOperation({
    name: 'device_get',
    title: 'Get a device',
    description: 'Get one device by id, with its addresses (ids, network and pool), tags and domains.',
    permission: 'device:read',
    annotations: READ,
    input: IdInputSchema,
    output: DeviceSchema,
    run: getDevice,
    http: { method: 'GET', path: '/api/devices/:id' },
    toolset: 'inventory',
  }),
  defineOperation({
    name: 'device_save',
    title: 'Create or update a device',
    description:
      'Create a device (omit id; name required) or update one (give id). On update ONLY the fields you send change; omitted fields keep their values. ' +
      'tags, domains and addresses, when sent, replace their whole list: to keep an address send it back with its id (its other fields then default to the stored ones); addresses left out are deleted and leave their pool. ' +
      'An address inside a pool is recorded as in use there (409 IP_NOT_AVAILABLE when something else already uses it); network_id and pool_id are derived from the IP when omitted. ' +
      'Changing status records status_changed_at/by.',
    permission: ['device:create', 'device:update'],
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: SaveDeviceInputSchema,
    output: DeviceSchema,
    run: saveDevice,
    http: [
      { method: 'POST', path: '/api/devices', status: 201, forbid: ['id'] },
      { method: 'PUT', path: '/api/devices/:id' },
    ],
    toolset: 'inventory',
  }),
  defineOperation({
    name: 'device_delete',
    title: 'Delete a device',
    description: 'Delete a device with its addresses (their pool addresses become free), tags, domains and relationships.',
    permission: 'device:delete',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: IdInputSchema,
    output: DeletedSchema,
    run: deleteDevice,
    http: { method: 'DELETE', path: '/api/devices/:id', status: 204 },
    toolset: 'inventory',
  }),
  defineOperation({
    name: 'datacenter_devices',
    title: 'List the devices of a datacenter',
    description: 'Devices in one datacenter, sorted by name (404 when the datacenter does not exist). Returns items, total and next_cursor.',
    permission: 'device:list',
    annotations: READ,
    input: DevicesOfInputSchema,
    output: DevicePageSchema,
    run: listDatacenterDevices,
    http: { method: 'GET', path: '/api/datacenters/:id/devices', response: 'items' },
    toolset: 'inventory',
  }),
  defineOperation({
    name: 'network_devices',
    title: 'List the devices of a network',
    description: 'Devices with at least one address in the network, sorted by name (404 when the network does not exist). Returns items, total and next_cursor.',
    permission: 'device:list',
    annotations: READ,
    input: DevicesOfInputSchema,
    output: DevicePageSchema,
    run: listNetworkDevices,
    http: { method: 'GET', path: '/api/networks/:id/devices', response: 'items' },
    toolset: 'inventory',
  }),
  defineOperation({
    name: 'device_bulk_create',
    title: 'Create devices in bulk',
    description: `Create up to 100 devices; the body is a JSON array of device inputs as for POST /api/devices.${BULK}`,
    permission: 'device:create',
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: BulkCreateDevicesInputSchema,
    output: BulkResultSchema,
    run: bulkCreateDevices,
    http: { method: 'POST', path: '/api/devices/bulk', body: 'array', bodyKey: 'devices' },
  }),
  defineOperation({
    name: 'device_bulk_update',
    title: 'Update devices in bulk',
    description: `Partially update up to 100 devices; the body is a JSON array of objects with id and the fields to change.${BULK}`,
    permission: 'device:update',
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: BulkUpdateDevicesInputSchema,
    output: BulkResultSchema,
    run: bulkUpdateDevices,
    http: { method: 'PUT', path: '/api/devices/bulk', body: 'array', bodyKey: 'devices' },
  }),
  defineOperation({
    name: 'device_bulk_delete',
    title: 'Delete devices in bulk',
    description: `Delete up to 100 devices given as {"ids": [...]}; an unknown id fails the request.${BULK}`,
    permission: 'device:delete',
    annotations: { readOnly: false, destructive: true, idempotent: false },
    input: BulkIdsInputSchema,
    output: BulkResultSchema,
    run: bulkDeleteDevices,
    http: { method: 'DELETE', path: '/api/devices/bulk', body: 'object' },
  }),
  defineOperation({
    name: 'device_bulk_add_tags',
    title: 'Add tags to devices in bulk',
    description: `Add tags to up to 100 devices: {"device_ids": [...], "tags": [...]}; tags already present are kept.${BULK}`,
    permission: 'device:update',
    annotations: { readOnly: false, destructive: false, idempotent: true },
    input: BulkTagsInputSchema,
    output: BulkResultSchema,
    run: bulkAddDeviceTags,
    http: { method: 'POST', path: '/api/devices/bulk/tags' },
  }),
  defineOperation({
    name: 'device_bulk_remove_tags',
    title: 'Remove tags from devices in bulk',
    description: `Remove tags from up to 100 devices: {"device_ids": [...], "tags": [...]}.${BULK}`,
    permission: 'device:update',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: BulkTagsInputSchema,
    output: BulkResultSchema,
    run: bulkRemoveDeviceTags,
    http: { method: 'DELETE', path: '/api/devices/bulk/tags', body: 'object' },
  }),
  defineOperation({
    name: 'network_bulk_create',
    title: 'Create networks in bulk',
    description:
      'Create up to 100 networks; the body is a JSON array of network inputs as for POST /api/networks (name and subnet required, CIDR validated and normalized). REST only. All-or-nothing in one transaction: if any item fails nothing is written and the answer is 400 with details naming networks[i].field.',
    permission: 'network:create',
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: BulkCreateNetworksInputSchema,
    output: BulkResultSchema,
    run: bulkCreateNetworks,
    http: { method: 'POST', path: '/api/networks/bulk', body: 'array', bodyKey: 'networks' },
  }),
  defineOperation({
    name: 'network_bulk_delete',
    title: 'Delete networks in bulk',
    description:
      'Delete up to 100 networks given as {"ids": [...]} (their pools go with them; device addresses are unlinked). REST only. All-or-nothing: an unknown id fails the request (400 naming ids[i]) and nothing is deleted.',
    permission: 'network:delete',
    annotations: { readOnly: false, destructive: true, idempotent: false },
    input: BulkIdsInputSchema,
    output: BulkResultSchema,
    run: bulkDeleteNetworks,
    http: { method: 'DELETE', path: '/api/networks/bulk', body: 'object' },
  }),
];
