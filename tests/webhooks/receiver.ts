// A real webhook receiver for the tests: node:http on 127.0.0.1 that verifies every request with
// the independent `standardwebhooks` implementation, records what arrived and answers with the
// status codes a test scripts (per path), 200 by default.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  payload: any;
  /** The signature verified against the secret registered for this path. */
  verified: boolean;
  verifyError?: string;
  status: number;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Path → signing secret (whsec_…) the receiver verifies with. */
  secrets: Map<string, string>;
  /** Path → statuses to answer, consumed one per request; empty → 200. */
  script: Map<string, number[]>;
  /** Extra response headers per path (e.g. Location for a redirect). */
  headersFor: Map<string, Record<string, string>>;
  at(path: string): Received[];
  /** Resolves once `pred` holds for the received list, or fails after `timeoutMs`. */
  waitFor(pred: (r: Received[]) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const secrets = new Map<string, string>();
  const script = new Map<string, number[]>();
  const headersFor = new Map<string, Record<string, string>>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const secret = secrets.get(path);
      let verified = false;
      let verifyError: string | undefined;
      if (secret) {
        try {
          new Webhook(secret).verify(body, {
            'webhook-id': String(req.headers['webhook-id'] ?? ''),
            'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
            'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
          });
          verified = true;
        } catch (err) {
          verifyError = (err as Error).message;
        }
      } else {
        verifyError = 'no secret registered for this path';
      }
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        payload = undefined;
      }
      const status = script.get(path)?.shift() ?? 200;
      received.push({ path, headers: req.headers, body, payload, verified, verifyError, status });
      res.writeHead(status, { 'content-type': 'text/plain', ...headersFor.get(path) });
      res.end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    secrets,
    script,
    headersFor,
    at: (path) => received.filter((r) => r.path === path),
    async waitFor(pred, timeoutMs = 10_000, what = 'deliveries') {
      const end = Date.now() + timeoutMs;
      while (!pred(received)) {
        if (Date.now() > end) assert.fail(`timed out waiting for ${what}; got ${received.length}: ${received.map((r) => `${r.path} ${r.payload?.type}`).join(', ')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Settings of every webhook test server: receivers on 127.0.0.1 and fast retries. */
export const WEBHOOK_TEST_ENV: Record<string, string> = {
  SSRF_ALLOW_LOOPBACK_TARGETS: 'true',
  WEBHOOK_RETRY_BASE: '100ms',
  WEBHOOK_RETRY_CAP: '400ms',
  WEBHOOK_RETRY_MAX_ATTEMPTS: '3',
  WEBHOOK_TIMEOUT: '3s',
};
