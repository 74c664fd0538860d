// Write transactions for verbs still written against better-sqlite3's synchronous query API
// (issue 13, in progress): the body runs inside `engine.write`, so it queues behind every other
// write on the one writer connection and starts with BEGIN IMMEDIATE, exactly like an awaited
// body would. Reads outside transactions use the engine's read-only connection (env.db), so no
// request ever sees another's uncommitted rows, whichever kind of body is open.
//
// A verb moves off this once its statements are the dialect-neutral awaited calls of the shared
// contract (db/engine.ts); until then it runs on SQLite only.
import type { Db } from './client.ts';
import type { Engine } from './engine.ts';

/**
 * Runs the synchronous `fn` as one write transaction: committed when it returns, rolled back when
 * it throws (ARCHITECTURE.md rule 6). Nested `tx.transaction(…)` calls inside are savepoints. Never
 * await a `syncWrite` or an `engine.write` from inside another write's body: the queue would wait
 * for itself.
 */
export function syncWrite<T>(env: { engine: Engine }, fn: (tx: Db) => T): Promise<T> {
  const { engine } = env;
  if (engine.dialect !== 'sqlite') return Promise.reject(new Error('this operation is not yet available on PostgreSQL (issue 13)'));
  return engine.write(async (tx) => {
    const out = fn(tx as unknown as Db);
    // An asynchronous body would commit before its awaited statements ran.
    if (out instanceof Promise) throw new Error('syncWrite needs a synchronous body; write an awaited one with engine.write');
    return out;
  });
}
