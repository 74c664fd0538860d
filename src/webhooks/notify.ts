// In-process wake-up between the service layer and the delivery worker of the same database: a
// write that adds an event to the outbox pokes the worker once its transaction has returned, so
// a delivery starts within milliseconds instead of at the next poll. Purely an optimisation: the
// worker also polls, so a missed poke (or an event written by another process) only waits longer.

type Listener = () => void;

const listeners = new WeakMap<object, Set<Listener>>();
const pending = new WeakSet<object>();

/** Registers `fn` for pokes about `db`; returns the unsubscribe function. */
export function onEventsWritten(db: object, fn: Listener): () => void {
  let set = listeners.get(db);
  if (!set) listeners.set(db, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

/**
 * Pokes the listeners of `db` after the current synchronous transaction has finished: once per
 * turn of the event loop however many events the transaction wrote. A transaction that rolled
 * back causes a harmless spurious poke.
 */
export function notifyEventsWritten(db: object): void {
  if (pending.has(db)) return;
  const set = listeners.get(db);
  if (!set || set.size === 0) return;
  pending.add(db);
  setImmediate(() => {
    pending.delete(db);
    for (const fn of listeners.get(db) ?? []) fn();
  });
}
