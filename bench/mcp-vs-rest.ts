// mcp-vs-rest: the MCP surface against the framework's ceiling and against its REST mirror.
// Throughput of JSON-RPC `tools/call device_get` POSTed to /mcp against the bare Hono app
// (bench/lib/ceiling.ts, its own process; target ≥ 0.15), with REST GET /api/devices/{id} (same
// device, same API key, same server) in the same rounds for the MCP ÷ REST ratio.
//
// The endpoint is stateless (no session), so every POST stands alone: no initialize per call,
// just the request a client sends once it is connected. The load generator posts raw JSON-RPC;
// one response is checked first to be a correct, non-error tool result for that device.
import { compareThroughput, fmt, mib, type Benchmark } from './lib/bench.ts';
import { captureFloor, ceilingSide, floorSide, startCeiling } from './lib/ceiling.ts';
import { PROBE_DEVICE } from './device-get.ts';
import { deviceName, sharedInventory } from './lib/inventory.ts';
import { runLoad, send } from './lib/load.ts';
import http from 'node:http';

const CONCURRENCY = 8;
const TARGET = 0.15;
const PROTOCOL = '2025-11-25';

interface ToolResponse {
  jsonrpc: string;
  id: number;
  result?: { isError?: boolean; structuredContent?: { id?: string; name?: string }; content?: unknown[] };
  error?: unknown;
}

export const mcpVsRest: Benchmark = {
  name: 'mcp-vs-rest',
  async run(settings) {
    const inv = await sharedInventory(settings);
    inv.usedBy.push('mcp-vs-rest');
    const { server } = inv;
    const id = inv.ids[PROBE_DEVICE]!;
    const restPath = `/api/devices/${id}`;
    const mcpHeaders = {
      authorization: `Bearer ${inv.key}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': PROTOCOL,
    };
    const mcpBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'device_get', arguments: { id } } });

    // One call by hand first: the load generator only sees statuses, and a JSON-RPC error is a 200 too.
    const agent = new http.Agent({ keepAlive: false });
    const probe = await send(agent, new URL('/mcp', server.url), 'POST', { ...mcpHeaders, 'content-length': String(Buffer.byteLength(mcpBody)) }, mcpBody);
    let parsed: ToolResponse | undefined;
    try {
      parsed = JSON.parse(probe.text) as ToolResponse;
    } catch {
      // reported below
    }
    const sc = parsed?.result?.structuredContent;
    if (probe.status !== 200 || !parsed || parsed.error || parsed.result?.isError || sc?.id !== id || sc.name !== deviceName(PROBE_DEVICE)) {
      throw new Error(`MCP tools/call device_get did not return the device: ${probe.status} ${probe.text.slice(0, 300)}`);
    }
    const rest = await inv.api.call<{ id: string }>('GET', restPath, undefined, 200);
    if (rest.id !== id) throw new Error(`GET ${restPath} returned ${rest.id}`);

    const rssBefore = server.rssKb();
    const bare = await startCeiling(await captureFloor(server.url, '/mcp', { method: 'POST', headers: mcpHeaders, body: mcpBody }));
    try {
      const { medians, table } = await compareThroughput(
        settings,
        [
          ceilingSide(bare, CONCURRENCY),
          floorSide(bare, CONCURRENCY, { method: 'POST', headers: mcpHeaders, body: mcpBody }),
          {
            label: 'REST GET /api/devices/{id}',
            column: 'REST',
            load: (durationMs) => runLoad({ url: server.url, path: restPath, headers: { authorization: `Bearer ${inv.key}` }, concurrency: CONCURRENCY, durationMs }),
            cpuSeconds: server.cpuSeconds,
          },
          {
            label: 'MCP tools/call device_get',
            column: 'MCP',
            load: (durationMs) => runLoad({ url: server.url, path: '/mcp', method: 'POST', headers: mcpHeaders, body: mcpBody, concurrency: CONCURRENCY, durationMs }),
            cpuSeconds: server.cpuSeconds,
          },
        ],
        [[3, 0], [3, 2], [3, 1]],
      );
      const [b, f, r, m] = [medians[0]!, medians[1]!, medians[2]!, medians[3]!];
      const ratio = m.rps / b.rps;
      return {
        description:
          `Requests/s of MCP \`tools/call\` \`device_get\` (raw JSON-RPC POSTed to the stateless \`/mcp\` endpoint with ` +
          `\`Authorization: Bearer\`, \`Accept: application/json, text/event-stream\`, \`MCP-Protocol-Version: ${PROTOCOL}\`; ` +
          `no initialize per call) divided by requests/s of a bare Hono app (one small JSON route, its own process; see ` +
          `healthz), with REST \`GET /api/devices/{id}\` for the same device and API key in the same rounds, ` +
          `${CONCURRENCY} keep-alive connections each, closed loop, autocannon in its own process, on the shared ` +
          `${fmt(inv.ids.length)}-device inventory. One MCP response is checked first to carry the device as ` +
          `\`structuredContent\` without \`isError\`. Ratio = median(MCP req/s) / median(bare req/s). The floor: the bare ` +
          `app's \`/floor\` route reading and parsing the same POST body and sending the response rackd gave (see healthz).`,
        target: `ratio ≥ ${TARGET}`,
        ratio,
        pass: ratio >= TARGET,
        table,
        notes: [
          `Profile findings: see mcp-vs-rest in bench/README.md.`,
          `The floor ÷ bare: ${fmt(f.rps / b.rps, 3)}; MCP ÷ floor: ${fmt(m.rps / f.rps, 3)}.`,
          `MCP ÷ REST: ${fmt(m.rps / r.rps, 3)} (the earlier verdict, target 0.33); REST ÷ bare ${fmt(r.rps / b.rps, 3)}.`,
          `Server CPU per request (diagnostic): ${fmt(b.cpu)} µs bare Hono, ${fmt(f.cpu)} µs the floor, ${fmt(r.cpu)} µs REST, ${fmt(m.cpu)} µs MCP.`,
          `Response sizes: REST ${fmt(Buffer.byteLength(JSON.stringify(rest)))} bytes, MCP ${fmt(Buffer.byteLength(probe.text))} bytes (the device twice: text content and structuredContent).`,
          `Server RSS (VmRSS): ${mib(rssBefore)} before, ${mib(server.rssKb())} after the benchmark.`,
        ],
      };
    } finally {
      await bare.stop();
    }
  },
};
