// The delivery attempt as services see it: webhook_ping records a delivery and has it sent at
// once. Sending (signing, the SSRF-safe POST, recording the attempt) is the webhook worker's
// (webhooks/delivery.ts); runtime.ts wires it into ServiceEnv, so no service imports webhooks/.
import type { ServiceEnv } from '../env.ts';

export interface Leased {
  id: string;
  /** The attempt number this lease is for (already counted in the row). */
  attempt: number;
  /** The lease_until written when claiming: the row is ours while it still holds this value. */
  leaseUntil: string;
}

export interface AttemptOutcome {
  status: 'success' | 'retrying' | 'failed' | 'abandoned' | 'released';
  statusCode: number | null;
  error: string;
  durationMs: number;
}

export interface AttemptOptions {
  /** false: a failure is final at once (ping). */
  retry: boolean;
  /** Send even to an inactive webhook (ping). */
  force?: boolean;
  signal?: AbortSignal;
}

export interface WebhookSender {
  attempt(env: ServiceEnv, lease: Leased, opts: AttemptOptions): Promise<AttemptOutcome>;
}

/** For processes that never send (tools opening a database offline): every attempt fails, recorded by nobody. */
export const offlineSender: WebhookSender = {
  attempt: async () => ({ status: 'failed', statusCode: null, error: 'webhooks are not sent by this process', durationMs: 0 }),
};
