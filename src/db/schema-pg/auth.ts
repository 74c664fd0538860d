import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    ipAddress: text('ip_address').notNull().default(''),
    userAgent: text('user_agent').notNull().default(''),
  },
  (t) => [index('sessions_user').on(t.userId), index('sessions_expires').on(t.expiresAt)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    keyHash: text('key_hash').notNull().unique(),
    /** First characters of the key, for recognising it in lists; never enough to use it. */
    start: text('start').notNull(),
    // Nullable only so that legacy rows without an owner can exist and be refused at the
    // auth boundary; every key created by rackd has an owner.
    userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    lastUsedAt: text('last_used_at'),
    expiresAt: text('expires_at'),
    /** Space-separated scopes the key is narrowed to (the OAuth vocabulary); null = the owner's full permissions. */
    scopes: text('scopes'),
    /** Who created the key, when not its owner (an administrator's service-account key). */
    createdBy: text('created_by'),
  },
  (t) => [index('api_keys_user').on(t.userId)],
);
