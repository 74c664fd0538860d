// The ceiling every throughput benchmark is measured against: a bare Hono app with one small JSON
// route on the same @hono/node-server rackd uses, in its own process (forked by ceiling.ts) so it
// gets the same share of the machine as the rackd server beside it. Plain JavaScript: no tsx
// loader in the way. Prints `listening <port>` once it accepts connections.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.json({ status: 'ok' }));
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => console.log(`listening ${info.port}`));
process.on('SIGTERM', () => process.exit(0));
