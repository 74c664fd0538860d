import type { Webhook } from '../../../schemas/webhooks.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getWebhookOrThrow, toWebhook } from './internal.ts';

export async function getWebhook(env: ServiceEnv, ctx: CallerContext, id: string): Promise<Webhook> {
  return audited(env, ctx, { action: 'webhook.read', resource: 'webhook', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'webhooks:read');
    return toWebhook(getWebhookOrThrow(env.db, id));
  });
}
