import { DeletedSchema, IdInputSchema } from '../../schemas/common.ts';
import {
  CreateReservationInputSchema,
  ListReservationsInputSchema,
  ReleasedSchema,
  ReservationPageSchema,
  ReservationSchema,
  UpdateReservationInputSchema,
} from '../../schemas/reservations.ts';
import { createReservation } from '../services/reservations/create.ts';
import { deleteReservation } from '../services/reservations/delete.ts';
import { getReservation } from '../services/reservations/get.ts';
import { listReservations } from '../services/reservations/list.ts';
import { releaseReservation } from '../services/reservations/release.ts';
import { updateReservation } from '../services/reservations/update.ts';
import { defineOperation } from './types.ts';


export const reservationOperations = [
  defineOperation({
    name: 'reservation_list',
    title: 'List IP reservations',
    description: 'Reservations; filter by pool_id, status, reserved_by or ip.',
    permission: 'reservation:list',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: ListReservationsInputSchema,
    output: ReservationPageSchema,
    run: listReservations,
    http: [
      { method: 'GET', path: '/api/reservations', response: 'items' },
      { method: 'GET', path: '/api/pools/:pool_id/reservations', response: 'items', fixed: { status: 'active' }, summary: 'Active reservations of a pool' },
    ],
    toolset: 'ipam',
  }),
  defineOperation({
    name: 'reservation_get',
    title: 'Get an IP reservation',
    description: 'One reservation.',
    permission: 'reservation:read',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: IdInputSchema,
    output: ReservationSchema,
    run: getReservation,
    http: { method: 'GET', path: '/api/reservations/:id' },
    toolset: 'ipam',
  }),
  defineOperation({
    name: 'reservation_create',
    title: 'Reserve an IP address',
    description: 'Reserve ip_address or the lowest free address of a pool (IP_NOT_AVAILABLE when taken). An expiry frees the address automatically.',
    permission: 'reservation:create',
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: CreateReservationInputSchema,
    output: ReservationSchema,
    run: createReservation,
    http: { method: 'POST', path: '/api/reservations', status: 201 },
    toolset: 'ipam',
  }),
  defineOperation({
    name: 'reservation_update',
    title: 'Update an IP reservation',
    description: 'Change hostname, purpose, notes or expiry of an active reservation (its reserver or an administrator).',
    permission: 'reservation:update',
    annotations: { readOnly: false, destructive: false, idempotent: true },
    input: UpdateReservationInputSchema,
    output: ReservationSchema,
    run: updateReservation,
    http: { method: 'PUT', path: '/api/reservations/:id' },
    toolset: 'ipam',
  }),
  defineOperation({
    name: 'reservation_release',
    title: 'Release an IP reservation',
    description: 'End an active reservation, freeing its address (its reserver or an administrator).',
    permission: 'reservation:update',
    annotations: { readOnly: false, destructive: false, idempotent: true },
    input: IdInputSchema,
    output: ReleasedSchema,
    run: releaseReservation,
    http: { method: 'POST', path: '/api/reservations/:id/release' },
    toolset: 'ipam',
  }),
  defineOperation({
    name: 'reservation_delete',
    title: 'Delete an IP reservation',
    description: 'Delete a reservation, freeing an active one\'s address (its reserver or an administrator).',
    permission: 'reservation:delete',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: IdInputSchema,
    output: DeletedSchema,
    run: deleteReservation,
    http: { method: 'DELETE', path: '/api/reservations/:id', status: 204 },
    toolset: 'ipam',
  }),
];
