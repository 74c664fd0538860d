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

const OWNER_RULE = 'Only the user who made the reservation or an administrator may do this (FORBIDDEN otherwise).';

export const reservationOperations = [
  defineOperation({
    name: 'reservation_list',
    title: 'List IP reservations',
    description:
      'List reservations, filtered by pool_id, status (active, expired, released, claimed), reserved_by (user id) or exact ip. Returns a page with items, total and next_cursor.',
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
    description: 'Get one reservation by id.',
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
    description:
      'Reserve an address in a pool: ip_address if given (must lie in the pool range and be free: IP_NOT_AVAILABLE if in use), otherwise the lowest free one. ' +
      'Optional hostname, purpose, notes and an expiry as expires_at (RFC 3339, future) or expires_in_days (1–365); an expired reservation frees its address automatically. ' +
      'To reserve the next free address with retry safety, ip_allocate with an idempotency_key does the same.',
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
    description: `Change hostname, purpose, notes or the expiry (expires_at, null for none, or expires_in_days) of an active reservation; fields not sent keep their values. ${OWNER_RULE}`,
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
    description: `End an active reservation: its status becomes released and the address is free again. ${OWNER_RULE}`,
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
    description: `Delete a reservation record; an active one frees its address first. ${OWNER_RULE}`,
    permission: 'reservation:delete',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: IdInputSchema,
    output: DeletedSchema,
    run: deleteReservation,
    http: { method: 'DELETE', path: '/api/reservations/:id', status: 204 },
    toolset: 'ipam',
  }),
];
