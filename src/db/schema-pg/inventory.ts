// Inventory and IPAM tables. IP addresses are stored twice: as canonical text (what users see)
// and as fixed-width hex (`*_hex`: 8 digits for IPv4, 32 for IPv6) so that ranges and order are
// plain string comparisons on an index, for both families.
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

export const datacenters = pgTable(
  'datacenters',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    location: text('location').notNull().default(''),
    description: text('description').notNull().default(''),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('datacenters_name').on(t.name)],
);

export const networks = pgTable(
  'networks',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    subnet: text('subnet').notNull(),
    family: integer('family').notNull(),
    prefix: integer('prefix').notNull(),
    startHex: text('start_hex').notNull(),
    endHex: text('end_hex').notNull(),
    vlanId: integer('vlan_id'),
    datacenterId: text('datacenter_id').references(() => datacenters.id, { onDelete: 'restrict' }),
    description: text('description').notNull().default(''),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('networks_name').on(t.name),
    index('networks_range').on(t.family, t.startHex, t.endHex),
    index('networks_datacenter').on(t.datacenterId),
    index('networks_vlan').on(t.vlanId),
    check('networks_vlan_range', sql`${t.vlanId} IS NULL OR (${t.vlanId} BETWEEN 1 AND 4094)`),
  ],
);

export const networkPools = pgTable(
  'network_pools',
  {
    id: text('id').primaryKey(),
    networkId: text('network_id')
      .notNull()
      .references(() => networks.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    family: integer('family').notNull(),
    startIp: text('start_ip').notNull(),
    endIp: text('end_ip').notNull(),
    startHex: text('start_hex').notNull(),
    endHex: text('end_hex').notNull(),
    description: text('description').notNull().default(''),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('network_pools_network').on(t.networkId), index('network_pools_range').on(t.family, t.startHex, t.endHex)],
);

export const poolTags = pgTable(
  'pool_tags',
  {
    poolId: text('pool_id')
      .notNull()
      .references(() => networkPools.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
  },
  (t) => [primaryKey({ columns: [t.poolId, t.tag] }), index('pool_tags_tag').on(t.tag)],
);

/**
 * Every address in use inside a pool claims one row here, whoever uses it (a device address or
 * an active reservation). The primary key makes a double allocation impossible, even between two
 * rackd processes sharing the database file.
 */
export const poolClaims = pgTable(
  'pool_claims',
  {
    poolId: text('pool_id')
      .notNull()
      .references(() => networkPools.id, { onDelete: 'cascade' }),
    ipHex: text('ip_hex').notNull(),
    ownerKind: text('owner_kind', { enum: ['address', 'reservation'] }).notNull(),
    ownerId: text('owner_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.poolId, t.ipHex] }), index('pool_claims_owner').on(t.ownerKind, t.ownerId)],
);

/**
 * The free space of each pool as disjoint inclusive ranges, kept in step with pool_claims in the
 * same transaction. Next-free is the lowest range's start: one index seek, however full the pool.
 */
export const poolFreeRanges = pgTable(
  'pool_free_ranges',
  {
    poolId: text('pool_id')
      .notNull()
      .references(() => networkPools.id, { onDelete: 'cascade' }),
    startHex: text('start_hex').notNull(),
    endHex: text('end_hex').notNull(),
  },
  (t) => [primaryKey({ columns: [t.poolId, t.startHex] })],
);

export const devices = pgTable(
  'devices',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    hostname: text('hostname').notNull().default(''),
    description: text('description').notNull().default(''),
    makeModel: text('make_model').notNull().default(''),
    os: text('os').notNull().default(''),
    username: text('username').notNull().default(''),
    location: text('location').notNull().default(''),
    datacenterId: text('datacenter_id').references(() => datacenters.id, { onDelete: 'set null' }),
    status: text('status', { enum: ['planned', 'active', 'maintenance', 'decommissioned'] }).notNull().default('active'),
    statusChangedAt: text('status_changed_at'),
    statusChangedBy: text('status_changed_by'),
    decommissionDate: text('decommission_date'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('devices_name').on(t.name),
    index('devices_datacenter').on(t.datacenterId),
    index('devices_status').on(t.status),
  ],
);

export const addresses = pgTable(
  'addresses',
  {
    id: text('id').primaryKey(),
    deviceId: text('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
    ip: text('ip').notNull(),
    family: integer('family').notNull(),
    ipHex: text('ip_hex').notNull(),
    type: text('type').notNull().default('ipv4'),
    port: integer('port'),
    label: text('label').notNull().default(''),
    networkId: text('network_id').references(() => networks.id, { onDelete: 'set null' }),
    poolId: text('pool_id').references(() => networkPools.id, { onDelete: 'set null' }),
    switchPort: text('switch_port').notNull().default(''),
  },
  (t) => [
    index('addresses_device').on(t.deviceId),
    index('addresses_ip').on(t.family, t.ipHex),
    index('addresses_network').on(t.networkId),
    index('addresses_pool').on(t.poolId),
  ],
);

export const deviceTags = pgTable(
  'device_tags',
  {
    deviceId: text('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.tag] }), index('device_tags_tag').on(t.tag)],
);

export const deviceDomains = pgTable(
  'device_domains',
  {
    deviceId: text('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    domain: text('domain').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.domain] }), index('device_domains_domain').on(t.domain)],
);

export const deviceRelationships = pgTable(
  'device_relationships',
  {
    parentId: text('parent_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    childId: text('child_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    type: text('type', { enum: ['contains', 'connected_to', 'depends_on'] }).notNull(),
    notes: text('notes').notNull().default(''),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.parentId, t.childId, t.type] }),
    index('device_relationships_child').on(t.childId),
    check('device_relationships_not_self', sql`${t.parentId} <> ${t.childId}`),
  ],
);

export const reservations = pgTable(
  'reservations',
  {
    id: text('id').primaryKey(),
    poolId: text('pool_id')
      .notNull()
      .references(() => networkPools.id, { onDelete: 'cascade' }),
    ipAddress: text('ip_address').notNull(),
    ipHex: text('ip_hex').notNull(),
    hostname: text('hostname').notNull().default(''),
    purpose: text('purpose').notNull().default(''),
    notes: text('notes').notNull().default(''),
    reservedBy: text('reserved_by').notNull(),
    reservedAt: text('reserved_at').notNull(),
    expiresAt: text('expires_at'),
    status: text('status', { enum: ['active', 'expired', 'claimed', 'released'] }).notNull().default('active'),
    releasedAt: text('released_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('reservations_active_ip').on(t.poolId, t.ipHex).where(sql`${t.status} = 'active'`),
    index('reservations_status_expiry').on(t.status, t.expiresAt),
    index('reservations_reserved_by').on(t.reservedBy),
  ],
);

/** Idempotency records of ip_allocate: a retried key returns the address it got the first time. */
export const ipAllocations = pgTable(
  'ip_allocations',
  {
    id: text('id').primaryKey(),
    poolId: text('pool_id')
      .notNull()
      .references(() => networkPools.id, { onDelete: 'cascade' }),
    idempotencyKey: text('idempotency_key'),
    ip: text('ip').notNull(),
    ownerKind: text('owner_kind', { enum: ['address', 'reservation'] }).notNull(),
    ownerId: text('owner_id').notNull(),
    deviceId: text('device_id'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('ip_allocations_key').on(t.poolId, t.idempotencyKey).where(sql`${t.idempotencyKey} IS NOT NULL`)],
);
