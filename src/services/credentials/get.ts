import type { Credential } from '../../../schemas/credentials.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getCredentialOrThrow, toCredential } from './internal.ts';

/** The credential without its secrets (has_* flags only). */
export async function getCredential(env: ServiceEnv, ctx: CallerContext, id: string): Promise<Credential> {
  return audited(env, ctx, { action: 'credential.read', resource: 'credential', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'credential:read');
    return toCredential(getCredentialOrThrow(env.db, id));
  });
}
