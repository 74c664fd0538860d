// discovery_promote: turns a discovered host into an inventory device in one transaction — the
// device (through the device service's own write path, so its address is linked to the network
// and claimed in the pool holding it) and the link back (promoted_to_device_id, promoted_at).
// Needs discovery:create and, because it creates a device, device:create as well. Audited twice
// in that transaction: device.create (the device) and device.promote (the promotion).
import { eq } from 'drizzle-orm';
import { PromoteInputSchema } from '../../../schemas/discovery.ts';
import { HOSTNAME_PATTERN, SaveDeviceInputSchema, type Device } from '../../../schemas/devices.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { discoveredDevices } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { createDeviceTx } from '../devices/write.ts';
import { getDiscoveredOrThrow, toDiscovered } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

type Discovered = ReturnType<typeof toDiscovered>;

/** Rackd's summary: "MAC: … | Vendor: … | OS: … | Ports: [...] | Services: ssh@22 (tcp OpenSSH_9.2), …". */
function summary(d: Discovered): string {
  const parts: string[] = [];
  if (d.mac_address) parts.push(`MAC: ${d.mac_address}`);
  if (d.vendor) parts.push(`Vendor: ${d.vendor}`);
  if (d.os_guess) parts.push(`OS: ${d.os_guess}`);
  if (d.open_ports.length) parts.push(`Ports: [${d.open_ports.join(', ')}]`);
  if (d.services.length) parts.push(`Services: ${d.services.map((s) => `${s.service}@${s.port} (${[s.protocol, s.version].filter(Boolean).join(' ')})`).join(', ')}`);
  return parts.join(' | ').slice(0, 4096);
}

const validHostname = (h: string): string | undefined => (h && h.length <= 253 && HOSTNAME_PATTERN.test(h) ? h : undefined);

export async function promoteDiscovered(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Device> {
  return audited(env, ctx, { action: 'device.promote', resource: 'device' }, (promoted) => {
    requirePermission(ctx, 'discovery:create');
    const input = PromoteInputSchema.parse(raw);
    // What is promoted is looked up first (404), then creating the device needs device:create.
    getDiscoveredOrThrow(env.db, input.discovered_id);
    return audited(env, ctx, { action: 'device.create', resource: 'device' }, (created) => {
      requirePermission(ctx, 'device:create');
      const now = env.clock.now().toISOString();
      return syncWrite(env, (tx) => {
          const row = getDiscoveredOrThrow(tx, input.discovered_id);
          if (row.promotedToDeviceId) {
            throw new AppError('ALREADY_EXISTS', `Discovered host ${row.ip} was already promoted to device ${row.promotedToDeviceId}`, {
              details: [{ field: 'discovered_id', message: `already promoted to ${row.promotedToDeviceId}` }],
            });
          }
          const d = toDiscovered(row);
          const { id: _none, ...fields } = SaveDeviceInputSchema.parse({
            name: input.name,
            hostname: input.hostname ?? validHostname(d.hostname),
            make_model: input.make_model ?? (d.vendor ? d.vendor.slice(0, 255) : undefined),
            os: input.os ?? (d.os_guess ? d.os_guess.slice(0, 255) : undefined),
            description: input.description ?? (summary(d) || undefined),
            datacenter_id: input.datacenter_id,
            status: input.status,
            tags: input.tags,
            addresses: [{ ip: d.ip, network_id: d.network_id }],
          });
          const device = createDeviceTx(tx, ctx, now, fields, created);
          tx.update(discoveredDevices).set({ promotedToDeviceId: device.id, promotedAt: now, updatedAt: now }).where(eq(discoveredDevices.id, row.id)).run();
          created.record(tx, { resourceId: device.id, after: device });
          promoted.record(tx, { resourceId: device.id, after: device, extra: { discovered_id: row.id, ip: row.ip, network_id: row.networkId } });
          return device;
        });
    });
  });
}
