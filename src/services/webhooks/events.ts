import { requireAuthenticated, type CallerContext } from '../../auth/context.ts';
import { EVENT_TYPES } from '../events/catalogue.ts';

/** The event catalogue (GET /api/webhooks/events): any authenticated caller, as in Rackd. */
export function listEventTypes(ctx: CallerContext) {
  requireAuthenticated(ctx);
  return EVENT_TYPES.map((e) => ({ type: e.type, value: e.type, label: e.label, description: e.description }));
}
