// Webhook secrets in the Standard Webhooks format ("whsec_" + base64 of the key): generated on
// create, checked when a user brings their own. Signing with them is webhooks/signing.ts.
import { randomBytes } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX } from '../../../schemas/webhooks.ts';

const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

/** A new secret: "whsec_" + base64 of 32 random bytes. */
export const generateWebhookSecret = (): string => WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');

/** Why a user-given secret is unusable, or undefined when it is fine. */
export function webhookSecretProblem(secret: string): string | undefined {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return `must start with ${WEBHOOK_SECRET_PREFIX} (Standard Webhooks format)`;
  const b64 = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return `must be ${WEBHOOK_SECRET_PREFIX} followed by standard base64`;
  const n = Buffer.from(b64, 'base64').length;
  if (n < MIN_SECRET_BYTES || n > MAX_SECRET_BYTES) return `must encode ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes (got ${n})`;
  return undefined;
}
