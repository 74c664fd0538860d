// Discovery: scans, what they found, profiles, rules, schedules, credentials (secrets sealed with
// AES-256-GCM), SSH host keys (trust on first use).
import { boolean, doublePrecision, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { devices, networks } from './inventory.ts';

export const scanProfiles = pgTable('scan_profiles', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  scanType: text('scan_type', { enum: ['quick', 'full', 'deep', 'custom'] }).notNull(),
  /** JSON array of TCP ports; empty = the scan type's own set. */
  ports: text('ports').notNull().default('[]'),
  enableSnmp: boolean('enable_snmp').notNull().default(false),
  enableSsh: boolean('enable_ssh').notNull().default(false),
  /** Credentials used when SNMP/SSH are enabled. */
  snmpCredentialId: text('snmp_credential_id').references(() => credentials.id, { onDelete: 'set null' }),
  sshCredentialId: text('ssh_credential_id').references(() => credentials.id, { onDelete: 'set null' }),
  /** UDP port of the SNMP agents. */
  snmpPort: integer('snmp_port').notNull().default(161),
  /** TCP port for SSH logins; null = wherever a banner says SSH, else 22. */
  sshPort: integer('ssh_port'),
  timeoutSec: integer('timeout_sec').notNull().default(2),
  maxWorkers: integer('max_workers').notNull().default(64),
  description: text('description').notNull().default(''),
  isBuiltin: boolean('is_builtin').notNull().default(false),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const credentials = pgTable(
  'credentials',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    type: text('type', { enum: ['snmp_v2c', 'snmp_v3', 'ssh_key', 'ssh_password'] }).notNull(),
    /** Sealed JSON of the secret fields (community; v3 user/auth/priv; ssh key or password). */
    secret: text('secret').notNull(),
    sshUsername: text('ssh_username').notNull().default(''),
    /** Non-secret SNMPv3 settings, e.g. {"auth_protocol":"sha","priv_protocol":"aes"}. */
    options: text('options').notNull().default('{}'),
    datacenterId: text('datacenter_id'),
    description: text('description').notNull().default(''),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('credentials_name').on(t.name)],
);

export const discoveryScans = pgTable(
  'discovery_scans',
  {
    id: text('id').primaryKey(),
    networkId: text('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    profileId: text('profile_id').references(() => scanProfiles.id, { onDelete: 'set null' }),
    status: text('status', { enum: ['pending', 'running', 'completed', 'failed', 'cancelled'] }).notNull(),
    scanType: text('scan_type').notNull(),
    totalHosts: integer('total_hosts').notNull().default(0),
    scannedHosts: integer('scanned_hosts').notNull().default(0),
    foundHosts: integer('found_hosts').notNull().default(0),
    progressPercent: doublePrecision('progress_percent').notNull().default(0),
    errorMessage: text('error_message').notNull().default(''),
    /** JSON array of excluded addresses/CIDRs. */
    exclude: text('exclude').notNull().default('[]'),
    /** JSON array of the TCP ports probed (explicit, the profile's, or the scan type's set). */
    ports: text('ports').notNull().default('[]'),
    startedBy: text('started_by').notNull().default(''),
    /** Instance id of the rackd process running the scan (random per process start). */
    ownerId: text('owner_id'),
    /** Renewed by the owner while the scan is pending or running; a stale one means the owner is gone. */
    heartbeatAt: text('heartbeat_at'),
    startedAt: text('started_at'),
    completedAt: text('completed_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('discovery_scans_network').on(t.networkId, t.createdAt), index('discovery_scans_status').on(t.status)],
);

export const discoveredDevices = pgTable(
  'discovered_devices',
  {
    id: text('id').primaryKey(),
    networkId: text('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    ip: text('ip').notNull(),
    ipHex: text('ip_hex').notNull(),
    macAddress: text('mac_address').notNull().default(''),
    hostname: text('hostname').notNull().default(''),
    vendor: text('vendor').notNull().default(''),
    osGuess: text('os_guess').notNull().default(''),
    deviceType: text('device_type').notNull().default(''),
    confidence: integer('confidence').notNull().default(0),
    status: text('status').notNull().default('online'),
    /** JSON array of open TCP ports. */
    openPorts: text('open_ports').notNull().default('[]'),
    /** JSON array of {port, protocol, service, version, banner}. */
    services: text('services').notNull().default('[]'),
    /** JSON object of SNMP/SSH facts (sysName, sysDescr, interfaces, arp, os_release …). */
    facts: text('facts').notNull().default('{}'),
    lastScanId: text('last_scan_id'),
    firstSeen: text('first_seen').notNull(),
    lastSeen: text('last_seen').notNull(),
    promotedToDeviceId: text('promoted_to_device_id').references(() => devices.id, { onDelete: 'set null' }),
    promotedAt: text('promoted_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('discovered_devices_network_ip').on(t.networkId, t.ipHex),
    index('discovered_devices_last_seen').on(t.lastSeen),
    index('discovered_devices_promoted').on(t.promotedToDeviceId),
  ],
);

export const discoveryRules = pgTable('discovery_rules', {
  id: text('id').primaryKey(),
  networkId: text('network_id')
    .notNull()
    .unique()
    .references(() => networks.id, { onDelete: 'cascade' }),
  enabled: boolean('enabled').notNull().default(true),
  scanType: text('scan_type').notNull().default('quick'),
  profileId: text('profile_id').references(() => scanProfiles.id, { onDelete: 'set null' }),
  intervalHours: integer('interval_hours').notNull().default(24),
  /** JSON array of excluded addresses/CIDRs. */
  excludeIps: text('exclude_ips').notNull().default('[]'),
  lastRunAt: text('last_run_at'),
  nextRunAt: text('next_run_at'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const scheduledScans = pgTable(
  'scheduled_scans',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    networkId: text('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    profileId: text('profile_id')
      .notNull()
      .references(() => scanProfiles.id, { onDelete: 'restrict' }),
    cronExpression: text('cron_expression').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    description: text('description').notNull().default(''),
    lastRunAt: text('last_run_at'),
    lastScanId: text('last_scan_id'),
    nextRunAt: text('next_run_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('scheduled_scans_due').on(t.enabled, t.nextRunAt)],
);

export const sshHostKeys = pgTable('ssh_host_keys', {
  /** host:port */
  host: text('host').primaryKey(),
  keyType: text('key_type').notNull(),
  /** SHA-256 fingerprint of the host key, base64. */
  fingerprint: text('fingerprint').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

