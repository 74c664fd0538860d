// ip_allocate: picks the lowest free address of a pool and records it — as a new address of a
// device or as an active reservation — in one IMMEDIATE transaction, so two callers (even in two
// processes on one database file) can never get the same address. The pick is one index seek on
// the free ranges, whatever the number of used addresses. An idempotency_key makes retries safe.
import { and, eq, sql } from 'drizzle-orm';
import { AllocateIpInputSchema, type AllocateIpInput, type Allocation } from '../../../schemas/pools.ts';
import { requirePermission, userIdOf, type CallerContext } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { addresses, devices, ipAllocations, reservations } from '../../db/schema/index.ts';
import { AppError, validationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import type { EventSink } from '../events/outbox.ts';
import { getDeviceRowOrThrow, reindexDevice } from '../devices/internal.ts';
import type { ServiceEnv } from '../env.ts';
import { insertReservation, reserverOf, resolveExpiry } from '../reservations/internal.ts';
import { getPoolOrThrow, type PoolRow } from './internal.ts';
import { claimNext, familyOfHex, hexToText } from './space.ts';
import { syncWrite } from '../../db/sync-write.ts';

type AllocationRow = typeof ipAllocations.$inferSelect;

const RESERVATION_FIELDS = ['hostname', 'purpose', 'notes', 'expires_at', 'expires_in_days'] as const;

function conflict(field: string, why: string): AppError {
  return new AppError('CONFLICT', `idempotency_key was already used for a different request (${why})`, {
    details: [{ field, message: `differs from the first request with this idempotency_key (${why})` }],
  });
}

/**
 * A retry must be the same request: same caller, same device (or none), and the same label or
 * hostname/purpose/notes as the first call recorded (compared while that record still exists;
 * ip_allocations keeps no copy of the body). Expiry is relative to the call, so not compared.
 */
function replay(tx: DbOrTx, ctx: CallerContext, pool: PoolRow, prior: AllocationRow, input: AllocateIpInput): Allocation {
  if ((prior.createdBy ?? null) !== (userIdOf(ctx) ?? null)) throw conflict('idempotency_key', 'another caller used it');
  if ((prior.deviceId ?? undefined) !== input.device_id) throw conflict('device_id', 'device_id differs');
  if (prior.ownerKind === 'address') {
    const a = tx.select({ label: addresses.label }).from(addresses).where(eq(addresses.id, prior.ownerId)).get();
    if (a && a.label !== (input.label?.trim() ?? '')) throw conflict('label', 'label differs');
  } else {
    const r = tx.select().from(reservations).where(eq(reservations.id, prior.ownerId)).get();
    for (const f of ['hostname', 'purpose', 'notes'] as const) {
      if (r && r[f] !== (input[f] ?? '')) throw conflict(f, `${f} differs`);
    }
  }
  return {
    ip: prior.ip,
    pool_id: pool.id,
    network_id: pool.networkId,
    ...(prior.deviceId && { device_id: prior.deviceId }),
    ...(prior.ownerKind === 'address' ? { address_id: prior.ownerId } : { reservation_id: prior.ownerId }),
    idempotent_replay: true,
  };
}

/** Appends the address to the device (after its existing ones) holding the claimed IP. */
function addDeviceAddress(tx: DbOrTx, pool: PoolRow, deviceId: string, addressId: string, label: string, now: string, events: EventSink): string {
  const hex = claimNext(tx, pool.id, { kind: 'address', id: addressId }, events);
  const family = familyOfHex(hex);
  const position = tx.get<{ p: number }>(sql`SELECT coalesce(max(position) + 1, 0) AS p FROM addresses WHERE device_id = ${deviceId}`).p;
  const ip = hexToText(family, hex);
  tx.insert(addresses)
    .values({ id: addressId, deviceId, position, ip, family, ipHex: hex, type: family === 4 ? 'ipv4' : 'ipv6', label, networkId: pool.networkId, poolId: pool.id })
    .run();
  tx.update(devices).set({ updatedAt: now }).where(eq(devices.id, deviceId)).run();
  reindexDevice(tx, deviceId);
  return ip;
}

export async function allocateIp(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Allocation> {
  const poolId = (raw as { pool_id?: unknown })?.pool_id;
  const withDevice = typeof (raw as { device_id?: unknown })?.device_id === 'string';
  return audited(env, ctx, { action: 'pool.allocate', resource: 'pool', resourceId: typeof poolId === 'string' ? poolId : undefined }, (audit) => {
    requirePermission(ctx, 'pool:read');
    requirePermission(ctx, withDevice ? 'device:update' : 'reservation:create');
    const input = AllocateIpInputSchema.parse(raw);
    if (input.device_id !== undefined) {
      const extra = RESERVATION_FIELDS.find((f) => input[f] !== undefined);
      if (extra) throw validationError(extra, 'only applies to a reservation (without device_id)');
    } else if (input.label !== undefined) {
      throw validationError('label', 'only applies with device_id');
    }
    const now = env.clock.now();
    const expiresAt = input.device_id === undefined ? (resolveExpiry(now, input) ?? null) : null;
    const at = now.toISOString();
    return syncWrite(env, (tx) => {
        const pool = getPoolOrThrow(tx, input.pool_id);
        if (input.idempotency_key !== undefined) {
          const prior = tx
            .select()
            .from(ipAllocations)
            .where(and(eq(ipAllocations.poolId, pool.id), eq(ipAllocations.idempotencyKey, input.idempotency_key)))
            .get();
          if (prior) {
            const out = replay(tx, ctx, pool, prior, input);
            audit.record(tx, { resourceId: pool.id, after: out });
            return out;
          }
        }
        const ownerId = newId();
        let ip: string;
        if (input.device_id !== undefined) {
          getDeviceRowOrThrow(tx, input.device_id, 'device_id');
          ip = addDeviceAddress(tx, pool, input.device_id, ownerId, input.label?.trim() ?? '', at, audit);
        } else {
          const row = insertReservation(tx, pool, {
            id: ownerId,
            hostname: input.hostname,
            purpose: input.purpose,
            notes: input.notes,
            expiresAt,
            reservedBy: reserverOf(ctx),
            now: at,
          }, audit);
          ip = row.ipAddress;
        }
        tx.insert(ipAllocations)
          .values({
            id: newId(),
            poolId: pool.id,
            idempotencyKey: input.idempotency_key ?? null,
            ip,
            ownerKind: input.device_id !== undefined ? 'address' : 'reservation',
            ownerId,
            deviceId: input.device_id ?? null,
            createdBy: userIdOf(ctx) ?? null,
            createdAt: at,
          })
          .run();
        const out: Allocation = {
          ip,
          pool_id: pool.id,
          network_id: pool.networkId,
          ...(input.device_id !== undefined ? { device_id: input.device_id, address_id: ownerId } : { reservation_id: ownerId }),
          idempotent_replay: false,
        };
        audit.record(tx, { resourceId: pool.id, after: out });
        return out;
      });
  });
}
