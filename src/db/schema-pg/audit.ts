import { index, pgTable, text } from 'drizzle-orm/pg-core';

export const auditLogs = pgTable(
  'audit_logs',
  {
    id: text('id').primaryKey(),
    timestamp: text('timestamp').notNull(),
    action: text('action').notNull(),
    resource: text('resource').notNull(),
    resourceId: text('resource_id').notNull().default(''),
    userId: text('user_id').notNull().default(''),
    username: text('username').notNull().default(''),
    ipAddress: text('ip_address').notNull().default(''),
    source: text('source').notNull(),
    status: text('status', { enum: ['success', 'failure'] }).notNull(),
    error: text('error').notNull().default(''),
    errorCode: text('error_code').notNull().default(''),
    changes: text('changes').notNull().default(''),
    requestId: text('request_id').notNull().default(''),
  },
  (t) => [
    index('audit_logs_timestamp').on(t.timestamp, t.id),
    index('audit_logs_resource').on(t.resource, t.resourceId),
    index('audit_logs_user').on(t.userId),
    index('audit_logs_action').on(t.action),
  ],
);
