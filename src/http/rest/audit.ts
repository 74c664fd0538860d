// /api/audit — list (filters + pagination), export (the whole filtered log as CSV or JSON), get.
import { Hono } from 'hono';
import { exportAuditEntries } from '../../services/audit/export.ts';
import { getAuditEntry } from '../../services/audit/get.ts';
import { listAuditEntries } from '../../services/audit/list.ts';
import type { ServiceEnv } from '../../services/env.ts';
import { listResponse, queryObject } from '../query.ts';
import type { AppEnv } from '../types.ts';

/** Streams text chunks as UTF-8, pulling the next one only when the client has taken the last. */
function utf8Stream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await it.return?.();
    },
  });
}

export function auditRoutes(env: ServiceEnv): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => listResponse(c, await listAuditEntries(env, c.get('caller'), queryObject(c))));
  // Before '/:id', so that "export" is never taken for an entry id.
  app.get('/export', async (c) => {
    const out = await exportAuditEntries(env, c.get('caller'), queryObject(c));
    return c.body(utf8Stream(out.chunks), 200, {
      'Content-Type': out.contentType,
      'Content-Disposition': `attachment; filename="${out.filename}"`,
    });
  });
  app.get('/:id', async (c) => c.json(await getAuditEntry(env, c.get('caller'), c.req.param('id'))));
  return app;
}
