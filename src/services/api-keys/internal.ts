import { eq } from 'drizzle-orm';
import type { ApiKey } from '../../../schemas/api-keys.ts';
import { requireAdmin, userIdOf, type CallerContext } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { apiKeys } from '../../db/schema/index.ts';
import { notFound } from '../../platform/errors.ts';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export const toApiKey = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  description: r.description,
  prefix: r.start,
  user_id: r.userId,
  created_at: r.createdAt,
  last_used_at: r.lastUsedAt,
  expires_at: r.expiresAt,
  scopes: r.scopes === null ? null : r.scopes.split(' '),
  created_by: r.createdBy,
});

/** Non-admins may only see and delete their own keys; for others' keys they get FORBIDDEN. */
export function getOwnedKeyOrThrow(db: DbOrTx, ctx: CallerContext, id: string): ApiKeyRow {
  const row = db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
  if (!row) throw notFound('API key', id);
  if (row.userId !== userIdOf(ctx)) requireAdmin(ctx, "manage other users' API keys");
  return row;
}
