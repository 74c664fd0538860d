// Standard Webhooks signatures (https://www.standardwebhooks.com): receivers verify rackd's
// requests with any of the existing libraries. The signed content is "<webhook-id>.<webhook-timestamp>.<body>",
// the key is the base64-decoded part of the secret after "whsec_", the MAC is HMAC-SHA256, and the
// header carries "v1,<base64 MAC>". The id is the event id, so it stays the same across retries
// and receivers can drop duplicates; the timestamp is the time of each attempt.
import { createHmac, randomBytes } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX } from '../../schemas/webhooks.ts';

export const WEBHOOK_USER_AGENT = 'rackd-webhooks/0.1';
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

export const secretKeyBytes = (secret: string): Buffer => Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');

/** The webhook-signature value for one request. */
export function signWebhook(secret: string, id: string, timestampSec: number, body: string): string {
  const mac = createHmac('sha256', secretKeyBytes(secret)).update(`${id}.${timestampSec}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** Every header of a delivery request besides what safeFetch sets itself. */
export function webhookHeaders(secret: string, id: string, body: string, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, id, timestamp, body),
  };
}
