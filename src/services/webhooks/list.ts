import { asc, count, eq } from 'drizzle-orm';
import { ListWebhooksInputSchema } from '../../../schemas/webhooks.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { webhooks } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import { toWebhook } from './internal.ts';

/** Webhooks sorted by name; `active` filters. Secrets never leave: only has_secret. */
export async function listWebhooks(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'webhook.list', resource: 'webhook', read: true }, () => {
    requirePermission(ctx, 'webhooks:list');
    const input = ListWebhooksInputSchema.parse(raw);
    const window = pageWindow(input);
    const where = input.active === undefined ? undefined : eq(webhooks.active, input.active);
    const rows = env.db.select().from(webhooks).where(where).orderBy(asc(webhooks.name), asc(webhooks.id)).limit(window.limit).offset(window.offset).all();
    const total = env.db.select({ n: count() }).from(webhooks).where(where).get()!.n;
    return page(rows.map(toWebhook), total, window);
  });
}
