import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * One-off facts about this database that are not entities, e.g. that the "Default" datacenter
 * was seeded once (so deleting it sticks). Keys are namespaced strings such as `seed.default_datacenter`.
 */
export const appState = sqliteTable('app_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * Who runs each periodic job, so that several rackd processes on one database (replicas behind a
 * load balancer, or a server beside the offline CLI) run each job once per interval between them:
 * a run claims the row (its lease), and the next run anywhere waits until the interval has passed.
 */
export const jobLeases = sqliteTable('job_leases', {
  name: text('name').primaryKey(),
  /** The process holding the lease (a random id per process); '' when none. */
  owner: text('owner').notNull(),
  /** RFC 3339; the lease is free once this has passed (a holder that died frees it here). */
  leaseUntil: text('lease_until').notNull(),
  /** RFC 3339 of the last claimed run, wherever it ran. */
  lastStartedAt: text('last_started_at').notNull(),
});
