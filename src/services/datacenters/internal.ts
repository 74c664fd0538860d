import { eq } from 'drizzle-orm';
import type { Datacenter } from '../../../schemas/datacenters.ts';
import type { DbOrTx } from '../../db/client.ts';
import { datacenters } from '../../db/schema/index.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { indexDocument } from '../search/index-doc.ts';

export type DatacenterRow = typeof datacenters.$inferSelect;

export const toDatacenter = (r: DatacenterRow): Datacenter => ({
  id: r.id,
  name: r.name,
  location: r.location,
  description: r.description,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export function getDatacenterOrThrow(db: DbOrTx, id: string): DatacenterRow {
  const row = db.select().from(datacenters).where(eq(datacenters.id, id)).get();
  if (!row) throw notFound('Datacenter', id);
  return row;
}

export const indexDatacenter = (tx: DbOrTx, r: DatacenterRow): void =>
  indexDocument(tx, 'datacenter', r.id, r.name, [r.location, r.description]);

/** Inserts and indexes a datacenter (datacenter_save and the "Default" seed). */
export function insertDatacenter(tx: DbOrTx, now: string, d: { name: string; location?: string; description?: string }): DatacenterRow {
  const row = { id: newId(), name: d.name, location: d.location ?? '', description: d.description ?? '', createdAt: now, updatedAt: now };
  tx.insert(datacenters).values(row).run();
  indexDatacenter(tx, row);
  return row;
}
