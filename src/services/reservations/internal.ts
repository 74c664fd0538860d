// Shared by the reservation verbs and ip_allocate: row mapping, the ownership rule (catalog §4.1),
// expiry parsing, and inserting an active reservation together with its pool claim.
import { eq } from 'drizzle-orm';
import type { Reservation } from '../../../schemas/reservations.ts';
import { isPrivileged, userIdOf, type CallerContext } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { reservations } from '../../db/schema/index.ts';
import { AppError, notFound, validationError } from '../../platform/errors.ts';
import type { PoolRow } from '../pools/internal.ts';
import type { EventSink } from '../events/outbox.ts';
import { claimAddress, claimNext, familyOfHex, hexToText } from '../pools/space.ts';

export type ReservationRow = typeof reservations.$inferSelect;

export const toReservation = (r: ReservationRow): Reservation => ({
  id: r.id,
  pool_id: r.poolId,
  ip_address: r.ipAddress,
  hostname: r.hostname,
  purpose: r.purpose,
  notes: r.notes,
  reserved_by: r.reservedBy,
  reserved_at: r.reservedAt,
  expires_at: r.expiresAt ?? null,
  status: r.status,
  released_at: r.releasedAt ?? null,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export function getReservationOrThrow(db: DbOrTx, id: string): ReservationRow {
  const row = db.select().from(reservations).where(eq(reservations.id, id)).get();
  if (!row) throw notFound('Reservation', id);
  return row;
}

/** Who a reservation is recorded as made by: the caller's user id, or "system" for jobs and the CLI. */
export const reserverOf = (ctx: CallerContext): string => userIdOf(ctx) ?? 'system';

/** Update, release and delete belong to the user who reserved, an admin, or the system. */
export function assertOwnerOrAdmin(ctx: CallerContext, r: ReservationRow, what: string): void {
  if (isPrivileged(ctx) || ctx.isAdmin || userIdOf(ctx) === r.reservedBy) return;
  throw new AppError('FORBIDDEN', `Forbidden: only the user who made the reservation or an administrator may ${what} it`);
}

export function assertActive(r: ReservationRow, what: string): void {
  if (r.status !== 'active') throw validationError('status', `the reservation is ${r.status}; only active reservations can be ${what}`);
}

/**
 * Resolves expires_at / expires_in_days (either, not both) to a canonical ISO string in the
 * future; null clears it, undefined leaves it as it is.
 */
export function resolveExpiry(now: Date, input: { expires_at?: string | null; expires_in_days?: number }): string | null | undefined {
  if (input.expires_at !== undefined && input.expires_in_days !== undefined) {
    throw validationError('expires_at', 'give either expires_at or expires_in_days, not both');
  }
  if (input.expires_in_days !== undefined) return new Date(now.getTime() + input.expires_in_days * 86_400_000).toISOString();
  if (input.expires_at === undefined || input.expires_at === null) return input.expires_at;
  const at = new Date(input.expires_at);
  if (at.getTime() <= now.getTime()) throw validationError('expires_at', 'must be in the future');
  return at.toISOString();
}

export interface NewReservation {
  id: string;
  /** Hex of an explicit address already validated against the pool, or undefined for the lowest free one. */
  hex?: string;
  hostname?: string;
  purpose?: string;
  notes?: string;
  expiresAt: string | null;
  reservedBy: string;
  now: string;
}

/** Claims the address (explicit or lowest free) and records the active reservation holding it. */
export function insertReservation(tx: DbOrTx, pool: PoolRow, r: NewReservation, events: EventSink): ReservationRow {
  const owner = { kind: 'reservation' as const, id: r.id };
  let hex = r.hex;
  if (hex === undefined) hex = claimNext(tx, pool.id, owner, events);
  else claimAddress(tx, pool.id, hex, owner, events);
  const row: ReservationRow = {
    id: r.id,
    poolId: pool.id,
    ipAddress: hexToText(familyOfHex(hex), hex),
    ipHex: hex,
    hostname: r.hostname ?? '',
    purpose: r.purpose ?? '',
    notes: r.notes ?? '',
    reservedBy: r.reservedBy,
    reservedAt: r.now,
    expiresAt: r.expiresAt,
    status: 'active',
    releasedAt: null,
    createdAt: r.now,
    updatedAt: r.now,
  };
  tx.insert(reservations).values(row).run();
  return row;
}
