import { EmptyInputSchema } from '../../../schemas/common.ts';
import type { EventType } from '../../../schemas/webhooks.ts';
import { requireAuthenticated, type CallerContext } from '../../auth/context.ts';
import type { ServiceEnv } from '../env.ts';
import { EVENT_TYPES } from '../events/catalogue.ts';

/** The event catalogue (GET /api/webhooks/events): any authenticated caller, as in Rackd. */
export async function listEventTypes(_env: ServiceEnv, ctx: CallerContext, raw: unknown = {}): Promise<{ items: EventType[]; total: number }> {
  requireAuthenticated(ctx);
  EmptyInputSchema.parse(raw);
  const items = EVENT_TYPES.map((e) => ({ type: e.type, value: e.type, label: e.label, description: e.description }));
  return { items, total: items.length };
}
