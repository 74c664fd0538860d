// One-off facts about the database kept in app_state (see src/db/schema/app-state.ts).
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { appState } from '../db/schema/index.ts';

export const getAppState = (db: DbOrTx, key: string): string | undefined => db.select().from(appState).where(eq(appState.key, key)).get()?.value;

export function setAppState(tx: DbOrTx, key: string, value: string, now: string): void {
  tx.insert(appState).values({ key, value, updatedAt: now }).onConflictDoUpdate({ target: appState.key, set: { value, updatedAt: now } }).run();
}
