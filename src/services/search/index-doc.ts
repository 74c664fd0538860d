// Keeps the FTS5 search index (search_index: name and other text; search_names: the name alone,
// same rowid) in step with the objects it covers. Called inside the write
// transaction of every change to a device, network or datacenter.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';

export type SearchKind = 'device' | 'network' | 'datacenter';

export function indexDocument(tx: DbOrTx, kind: SearchKind, refId: string, name: string, body: string[]): void {
  const row = tx.get<{ rowid: number } | undefined>(sql`SELECT rowid FROM search_docs WHERE kind = ${kind} AND ref_id = ${refId}`);
  let rowid = row?.rowid;
  if (rowid === undefined) {
    rowid = tx.get<{ rowid: number }>(sql`INSERT INTO search_docs (kind, ref_id) VALUES (${kind}, ${refId}) RETURNING rowid`).rowid;
  } else {
    tx.run(sql`DELETE FROM search_index WHERE rowid = ${rowid}`);
    tx.run(sql`DELETE FROM search_names WHERE rowid = ${rowid}`);
  }
  const text = body.filter((s) => s && s.trim()).join(' \n ');
  tx.run(sql`INSERT INTO search_index (rowid, name, body) VALUES (${rowid}, ${name}, ${text})`);
  tx.run(sql`INSERT INTO search_names (rowid, name) VALUES (${rowid}, ${name})`);
}

export function unindexDocument(tx: DbOrTx, kind: SearchKind, refId: string): void {
  const row = tx.get<{ rowid: number } | undefined>(sql`SELECT rowid FROM search_docs WHERE kind = ${kind} AND ref_id = ${refId}`);
  if (!row) return;
  tx.run(sql`DELETE FROM search_index WHERE rowid = ${row.rowid}`);
  tx.run(sql`DELETE FROM search_names WHERE rowid = ${row.rowid}`);
  tx.run(sql`DELETE FROM search_docs WHERE rowid = ${row.rowid}`);
}
