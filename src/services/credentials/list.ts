import { and, asc, count, eq } from 'drizzle-orm';
import { ListCredentialsInputSchema } from '../../../schemas/credentials.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { credentials } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import { toCredential } from './internal.ts';

export async function listCredentials(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'credential.list', resource: 'credential', read: true }, () => {
    requirePermission(ctx, 'credential:list');
    const input = ListCredentialsInputSchema.parse(raw);
    const window = pageWindow(input);
    const where = and(
      input.type ? eq(credentials.type, input.type) : undefined,
      input.datacenter_id ? eq(credentials.datacenterId, input.datacenter_id) : undefined,
    );
    const rows = env.db.select().from(credentials).where(where).orderBy(asc(credentials.name), asc(credentials.id)).limit(window.limit).offset(window.offset).all();
    const total = env.db.select({ n: count() }).from(credentials).where(where).get()!.n;
    return page(rows.map(toCredential), total, window);
  });
}
