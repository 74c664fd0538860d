// discovery_scan: validates the request (network exists, subnet at most a /16, exclusions parse,
// profile and its credentials load, no other live scan of the network), records the pending scan
// (audited discovery.start) and hands it to the background runner. With `wait` it then waits —
// bounded — for the scan to end, reporting progress as it goes.
import { and, eq, gte, inArray } from 'drizzle-orm';
import { StartScanInputSchema, type DiscoveryScan } from '../../../schemas/discovery.ts';
import { requirePermission, usernameOf, type CallerContext } from '../../auth/context.ts';
import { discoveryScans, scanProfiles } from '../../db/schema/index.ts';
import { portsFor, type ScanType } from '../../discovery/ports.ts';
import { scanManager, type ScanJob } from '../../discovery/runner.ts';
import { snmpProbe } from '../../discovery/snmp.ts';
import { sshProbe } from '../../discovery/ssh.ts';
import type { CredentialedProbes } from '../../discovery/enrich.ts';
import type { ProbeOptions } from '../../discovery/scanner.ts';
import { AppError, validationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import { loadProfileCredentials } from '../credentials/probe-credentials.ts';
import type { ServiceEnv } from '../env.ts';
import { getNetworkOrThrow } from '../networks/internal.ts';
import { toScanProfile } from '../scan-profiles/internal.ts';
import { hostKeyStore } from './host-keys.ts';
import { getScanOrThrow, targetsOf, toScan } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export interface ScanRunContext {
  progress?(done: number, total: number, message?: string): Promise<void>;
  signal?: AbortSignal;
  /** The surface's time limit for this call: waiting stops before it. */
  budgetMs?: number;
}

const DEFAULT_WAIT_SECONDS = 60;

type ProfileRow = typeof scanProfiles.$inferSelect;

async function credentialedProbes(env: ServiceEnv, profile: ProfileRow): Promise<CredentialedProbes | undefined> {
  const wantsSnmp = profile.enableSnmp && profile.snmpCredentialId;
  const wantsSsh = profile.enableSsh && profile.sshCredentialId;
  if (!wantsSnmp && !wantsSsh) return undefined;
  const loaded = await loadProfileCredentials(env, profile.id);
  if (loaded.credentials.snmp?.version === 'v2c' && !env.config.discovery.snmpV2cEnabled) {
    throw validationError('profile_id', 'the profile names an SNMP v2c credential but DISCOVERY_SNMPV2C_ENABLED=false; use an SNMP v3 credential or enable v2c');
  }
  return {
    credentials: loaded.credentials,
    snmpPort: loaded.ports.snmp,
    sshPort: loaded.credentials.ssh ? loaded.ports.ssh : undefined,
    timeoutMs: Math.max(1, profile.timeoutSec) * 1000,
    v2cEnabled: env.config.discovery.snmpV2cEnabled,
    hostKeys: hostKeyStore(env),
    snmpProbe,
    sshProbe,
  };
}

export async function startScan(env: ServiceEnv, ctx: CallerContext, raw: unknown, run: ScanRunContext = {}): Promise<DiscoveryScan> {
  const started = await audited(env, ctx, { action: 'discovery.start', resource: 'discovery_scan' }, async (audit) => {
    requirePermission(ctx, 'discovery:create');
    const input = StartScanInputSchema.parse(raw);
    if (input.profile_id !== undefined && (input.scan_type !== undefined || input.ports !== undefined)) {
      throw validationError('profile_id', 'give either profile_id or scan_type/ports, not both');
    }
    if (input.scan_type === 'custom' && input.ports === undefined) throw validationError('ports', 'are required for a custom scan');
    if (input.ports !== undefined && input.scan_type !== undefined && input.scan_type !== 'custom') {
      throw validationError('ports', `explicit ports make a custom scan; drop scan_type=${input.scan_type} or the ports`);
    }
    const network = getNetworkOrThrow(env.db, input.network_id);
    const exclude = input.exclude ?? [];
    const targets = targetsOf(network.subnet, exclude);
    const probe: ProbeOptions = { ports: [], timeoutMs: env.config.discovery.timeoutMs };
    let credentialed: CredentialedProbes | undefined;
    let scanType: ScanType;
    let profileId: string | null = null;
    if (input.profile_id !== undefined) {
      const profile = env.db.select().from(scanProfiles).where(eq(scanProfiles.id, input.profile_id)).get();
      if (!profile) {
        throw new AppError('NOT_FOUND', `Scan profile not found: ${input.profile_id}`, { details: [{ field: 'profile_id', message: 'no such scan profile' }] });
      }
      profileId = profile.id;
      scanType = profile.scanType;
      probe.ports = portsFor(profile.scanType, toScanProfile(profile).ports);
      // The profile's per-probe timeout wins over DISCOVERY_TIMEOUT (it also bounds SNMP and SSH).
      probe.timeoutMs = Math.max(1, profile.timeoutSec) * 1000;
      credentialed = await credentialedProbes(env, profile);
      // SSH logs in only where its port is open, so a port the profile names is probed too.
      const sshPort = credentialed?.sshPort;
      if (sshPort !== undefined && !probe.ports.includes(sshPort)) probe.ports = portsFor('custom', [...probe.ports, sshPort]);
      // The profile's worker limit caps the hosts probed at once (never above what the budget fills).
      probe.hostConcurrency = Math.max(1, Math.min(profile.maxWorkers, Math.ceil(scanManager(env).budget / probe.ports.length)));
    } else {
      scanType = input.ports !== undefined ? 'custom' : (input.scan_type ?? 'quick');
      probe.ports = portsFor(scanType, input.ports ?? []);
    }
    const now = env.clock.now().toISOString();
    const row: typeof discoveryScans.$inferInsert & { id: string } = {
      id: newId(),
      networkId: network.id,
      profileId,
      status: 'pending',
      scanType,
      totalHosts: targets.total,
      exclude: JSON.stringify(exclude),
      ports: JSON.stringify(probe.ports),
      startedBy: usernameOf(ctx),
      // Launched right below in this process, which renews the lease from then on.
      ownerId: scanManager(env).instanceId,
      heartbeatAt: now,
      createdAt: now,
      updatedAt: now,
    };
    const leaseCutoff = new Date(env.clock.now().getTime() - env.config.discovery.scanLeaseMs).toISOString();
    const scan = await syncWrite(env, (tx) => {
        // One live scan per network (checked and inserted in one IMMEDIATE transaction, so two
        // processes cannot both pass): a second would probe the same hosts and race on their
        // records. A scan whose lease expired is dead and does not count (interrupted.ts fails it).
        const busy = tx
          .select({ id: discoveryScans.id, status: discoveryScans.status })
          .from(discoveryScans)
          .where(and(eq(discoveryScans.networkId, network.id), inArray(discoveryScans.status, ['pending', 'running']), gte(discoveryScans.heartbeatAt, leaseCutoff)))
          .get();
        if (busy) {
          throw new AppError('CONFLICT', `Network ${network.subnet} is already being scanned (scan ${busy.id} is ${busy.status}); wait for it to end or cancel it`, {
            details: [{ field: 'network_id', message: `scan ${busy.id} is ${busy.status}` }],
          });
        }
        tx.insert(discoveryScans).values(row).run();
        const out = toScan(getScanOrThrow(tx, row.id));
        audit.record(tx, { resourceId: row.id, after: { ...out, reverse_dns: input.reverse_dns ?? true } });
        return out;
      });
    const job: ScanJob = {
      scanId: scan.id,
      networkId: network.id,
      ctx,
      spec: { subnet: network.subnet, exclude },
      total: targets.total,
      probe,
      credentialed,
      reverseDns: input.reverse_dns ?? true,
    };
    return { scan, job, wait: input.wait === true, maxWaitMs: (input.max_wait_seconds ?? DEFAULT_WAIT_SECONDS) * 1000 };
  });
  // Launched outside the audited body, so the scan's many promises do not carry its async context.
  scanManager(env).launch(started.job);
  if (!started.wait) return started.scan;
  const total = started.scan.total_hosts;
  await scanManager(env).wait(started.scan.id, {
    maxMs: Math.min(started.maxWaitMs, run.budgetMs ?? Infinity),
    signal: run.signal,
    onProgress: (c) => void run.progress?.(c.scanned, total, `${c.scanned}/${total} hosts scanned, ${c.found} found`).catch(() => undefined),
  });
  return toScan(getScanOrThrow(env.db, started.scan.id));
}
