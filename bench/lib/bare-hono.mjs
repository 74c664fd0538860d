// The ceiling every throughput benchmark is measured against: a bare Hono app with one small JSON
// route on the same @hono/node-server rackd uses, in its own process (forked by ceiling.ts) so it
// gets the same share of the machine as the rackd server beside it. Plain JavaScript: no tsx
// loader in the way. Prints `listening <port>` once it accepts connections.
//
// With FLOOR set (JSON: { headers: [[name, value], …], body, json: boolean, readBody: boolean }) it
// also answers `/floor` with that response: the same header fields rackd sent (set on the node
// response, as rackd sets them) and the same JSON, serialised per request, after reading and
// parsing the request body the way rackd does when `readBody`. What the framework costs for
// rackd's own response with none of rackd's work in between: the floor under a ratio.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.json({ status: 'ok' }));

if (process.env.FLOOR) {
  const floor = JSON.parse(process.env.FLOOR);
  const json = floor.json;
  const answer = json ? JSON.parse(floor.body) : floor.body;
  const readBody = (incoming) =>
    new Promise((resolve, reject) => {
      const chunks = [];
      incoming.on('data', (d) => chunks.push(d));
      incoming.on('end', () => resolve(Buffer.concat(chunks)));
      incoming.on('error', reject);
    });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  app.on(['GET', 'POST'], '/floor', async (c) => {
    const outgoing = c.env.outgoing;
    for (const [k, v] of floor.headers) outgoing.setHeader(k, v);
    if (floor.readBody) JSON.parse(decoder.decode(await readBody(c.env.incoming)));
    return json ? c.json(answer) : c.text(answer);
  });
}

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => console.log(`listening ${info.port}`));
process.on('SIGTERM', () => process.exit(0));
