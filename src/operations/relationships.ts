// Device relationship operations (contains, connected_to, depends_on).
import {
  AddRelationshipInputSchema,
  DeviceRelationshipsInputSchema,
  ListRelationshipsInputSchema,
  RelatedDevicePageSchema,
  RelatedDevicesInputSchema,
  RelationshipDeletedSchema,
  RelationshipKeyInputSchema,
  RelationshipPageSchema,
  RelationshipSchema,
  UpdateRelationshipInputSchema,
} from '../../schemas/relationships.ts';
import { addRelationship } from '../services/relationships/add.ts';
import { deleteRelationship } from '../services/relationships/delete.ts';
import { listDeviceRelationships, listRelatedDevices, listRelationships } from '../services/relationships/list.ts';
import { updateRelationship } from '../services/relationships/update.ts';
import { defineOperation } from './types.ts';

const READ = { readOnly: true, destructive: false, idempotent: true };
const KEY_PATH = '/api/devices/:parent_id/relationships/:child_id/:type';

export const relationshipOperations = [
  defineOperation({
    name: 'device_add_relationship',
    title: 'Link two devices',
    description: 'Link parent → child (contains, connected_to, depends_on); an existing link gets its notes updated.',
    permission: 'relationship:create',
    annotations: { readOnly: false, destructive: false, idempotent: true },
    input: AddRelationshipInputSchema,
    output: RelationshipSchema,
    run: addRelationship,
    http: { method: 'POST', path: '/api/devices/:parent_id/relationships', status: 201 },
    toolset: 'inventory',
  }),
  defineOperation({
    name: 'device_get_relationships',
    title: 'List the relationships of a device',
    description: 'Relationships where the device is parent or child.',
    permission: 'relationship:read',
    annotations: READ,
    input: DeviceRelationshipsInputSchema,
    output: RelationshipPageSchema,
    run: listDeviceRelationships,
    http: { method: 'GET', path: '/api/devices/:id/relationships', response: 'items' },
    toolset: 'inventory',
  }),
  defineOperation({
    name: 'device_related',
    title: 'List related devices',
    description: 'Devices at the other end of the device\'s relationships (either direction).',
    permission: 'relationship:read',
    annotations: READ,
    input: RelatedDevicesInputSchema,
    output: RelatedDevicePageSchema,
    run: listRelatedDevices,
    http: { method: 'GET', path: '/api/devices/:id/related', response: 'items' },
    toolset: 'inventory',
  }),
  defineOperation({
    name: 'relationship_list',
    title: 'List relationships',
    description: 'All device relationships, optionally of one type or device.',
    permission: 'relationship:list',
    annotations: READ,
    input: ListRelationshipsInputSchema,
    output: RelationshipPageSchema,
    run: listRelationships,
    http: { method: 'GET', path: '/api/relationships', response: 'items' },
    toolset: 'inventory',
  }),
  defineOperation({
    name: 'relationship_update',
    title: 'Change the notes of a relationship',
    description: 'Set the notes of an existing relationship.',
    permission: 'relationship:update',
    annotations: { readOnly: false, destructive: false, idempotent: true },
    input: UpdateRelationshipInputSchema,
    output: RelationshipSchema,
    run: updateRelationship,
    http: { method: 'PATCH', path: KEY_PATH, status: 204 },
    toolset: 'inventory',
  }),
  defineOperation({
    name: 'relationship_delete',
    title: 'Delete a relationship',
    description: 'Delete a relationship (existed=false when there was none).',
    permission: 'relationship:delete',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: RelationshipKeyInputSchema,
    output: RelationshipDeletedSchema,
    run: deleteRelationship,
    http: { method: 'DELETE', path: KEY_PATH, status: 204 },
    toolset: 'inventory',
  }),
];
