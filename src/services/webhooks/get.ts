import { WebhookIdInputSchema } from '../../../schemas/webhooks.ts';
import type { Webhook } from '../../../schemas/webhooks.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getWebhookOrThrow, toWebhook } from './internal.ts';

export async function getWebhook(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Webhook> {
  return audited(env, ctx, { action: 'webhook.read', resource: 'webhook', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'webhooks:read');
    const { id } = WebhookIdInputSchema.parse(raw);
    return toWebhook(getWebhookOrThrow(env.db, id));
  });
}
