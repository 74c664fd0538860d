import { IdInputSchema } from '../../../schemas/common.ts';
import type { Credential } from '../../../schemas/credentials.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getCredentialOrThrow, toCredential } from './internal.ts';

/** The credential without its secrets (has_* flags only). */
export async function getCredential(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Credential> {
  return audited(env, ctx, { action: 'credential.read', resource: 'credential', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'credential:read');
    const { id } = IdInputSchema.parse(raw);
    return toCredential(getCredentialOrThrow(env.db, id));
  });
}
