// What every service verb runs with: process-wide dependencies, built once at start-up.
import type { PasswordHasher } from '../auth/passwords.ts';
import type { SessionStore } from '../auth/session-store.ts';
import type { Db } from '../db/client.ts';
import type { Engine } from '../db/engine.ts';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { KeyMaterial } from '../platform/keys.ts';
import type { Logger } from '../platform/logger.ts';
import type { Outbox } from './events/outbox.ts';
import type { WebhookSender } from './webhooks/sender.ts';

export interface ServiceEnv {
  /**
   * Reads outside transactions (SQLite: the engine's read-only connection, committed data only).
   * Writes go through `engine.write`, or `syncWrite` (db/sync-write.ts) for a synchronous body.
   */
  db: Db;
  /** The storage engine: the writer queue and its transactions (db/engine.ts). */
  engine: Engine;
  config: Config;
  clock: Clock;
  logger: Logger;
  passwords: PasswordHasher;
  sessions: SessionStore;
  keys: KeyMaterial;
  /** Where writes publish their events (webhooks/outbox.ts, wired by runtime.ts). */
  outbox: Outbox;
  /** Sends one webhook delivery at once (webhook_ping); webhooks/delivery.ts, wired by runtime.ts. */
  webhookSender: WebhookSender;
}
