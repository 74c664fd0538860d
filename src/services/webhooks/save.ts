// webhook_save: creates a webhook (no id) or updates one partially (id given: fields not sent keep
// their value). The URL passes the SSRF guard before anything is stored; the secret is sealed with
// AES-256-GCM and never returned — except a generated one, once, in the create answer.
import { eq } from 'drizzle-orm';
import { SaveWebhookInputSchema, type SaveWebhookInput } from '../../../schemas/webhooks.ts';
import { requirePermission, userIdOf, type CallerContext } from '../../auth/context.ts';
import { webhooks } from '../../db/schema/index.ts';
import { validationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { generateWebhookSecret, webhookSecretProblem } from './secrets.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getWebhookOrThrow, normalizeEvents, sealSecret, toWebhook, vetWebhookUrl } from './internal.ts';
import type { Webhook } from '../../../schemas/webhooks.ts';
import { syncWrite } from '../../db/sync-write.ts';

function checkSecret(input: SaveWebhookInput): void {
  if (input.secret === undefined) return;
  const problem = webhookSecretProblem(input.secret);
  if (problem) throw validationError('secret', problem);
}

export async function saveWebhook(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Webhook & { secret?: string }> {
  const id = (raw as { id?: unknown })?.id;
  const update = typeof id === 'string';
  return audited(env, ctx, { action: update ? 'webhook.update' : 'webhook.create', resource: 'webhook', resourceId: update ? id : undefined }, async (audit) => {
    requirePermission(ctx, update ? 'webhooks:update' : 'webhooks:create');
    const input = SaveWebhookInputSchema.parse(raw);
    checkSecret(input);
    const events = input.events === undefined ? undefined : normalizeEvents(input.events);
    // DNS happens here, before the (synchronous) transaction.
    const url = input.url === undefined ? undefined : await vetWebhookUrl(env, input.url);
    const now = env.clock.now().toISOString();
    if (input.id === undefined) {
      if (input.name === undefined) throw validationError('name', 'is required');
      if (url === undefined) throw validationError('url', 'is required');
      if (events === undefined) throw validationError('events', 'is required (an array of event types, or ["*"])');
      const generated = input.secret === undefined ? generateWebhookSecret() : undefined;
      const webhookId = newId();
      const row = {
        id: webhookId,
        name: input.name,
        url,
        secret: sealSecret(env, webhookId, input.secret ?? generated!),
        events: JSON.stringify(events),
        active: input.active ?? true,
        description: input.description ?? '',
        createdBy: userIdOf(ctx) ?? '',
        createdAt: now,
        updatedAt: now,
      };
      return syncWrite(env, (tx) => {
          tx.insert(webhooks).values(row).run();
          const out = toWebhook(row);
          audit.record(tx, { resourceId: row.id, after: out });
          return generated === undefined ? out : { ...out, secret: generated };
        });
    }
    const webhookId = input.id;
    return syncWrite(env, (tx) => {
        const before = getWebhookOrThrow(tx, webhookId);
        const row = {
          ...before,
          ...(input.name !== undefined && { name: input.name }),
          ...(url !== undefined && { url }),
          ...(input.secret !== undefined && { secret: sealSecret(env, webhookId, input.secret) }),
          ...(events !== undefined && { events: JSON.stringify(events) }),
          ...(input.active !== undefined && { active: input.active }),
          ...(input.description !== undefined && { description: input.description }),
          updatedAt: now,
        };
        tx.update(webhooks).set(row).where(eq(webhooks.id, webhookId)).run();
        const out = toWebhook(row);
        audit.record(tx, { resourceId: webhookId, before: toWebhook(before), after: out, extra: input.secret !== undefined ? { secret_rotated: true } : undefined });
        return out;
      });
  });
}
