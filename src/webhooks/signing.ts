// Standard Webhooks signatures (https://www.standardwebhooks.com): receivers verify rackd's
// requests with any of the existing libraries. The signed content is "<webhook-id>.<webhook-timestamp>.<body>",
// the key is the base64-decoded part of the secret after "whsec_", the MAC is HMAC-SHA256, and the
// header carries "v1,<base64 MAC>". The id is the event id, so it stays the same across retries
// and receivers can drop duplicates; the timestamp is the time of each attempt.
import { createHmac } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX } from '../../schemas/webhooks.ts';

export const WEBHOOK_USER_AGENT = 'rackd-webhooks/0.1';

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
