import { pgTable, text } from 'drizzle-orm/pg-core';

/**
 * One-off facts about this database that are not entities, e.g. that the "Default" datacenter
 * was seeded once (so deleting it sticks). Keys are namespaced strings such as `seed.default_datacenter`.
 */
export const appState = pgTable('app_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull(),
});
