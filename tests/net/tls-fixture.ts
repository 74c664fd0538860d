// Test fixture: a throw-away self-signed certificate (made with Debian's openssl at test time) and
// small local HTTP/HTTPS servers that record what they were asked. Shared by tests/net and
// tests/oauth/cimd.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  key: string;
  cert: string;
}

/** The certificate covers localhost, *.test names used by the tests, 127.0.0.1 and ::1. */
export function makeTestCert(): TestCert | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'rackd-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
        '-subj', '/CN=rackd test',
        '-addext', 'subjectAltName=DNS:localhost,DNS:cimd.test,DNS:rebind.test,DNS:other.test,IP:127.0.0.1,IP:::1',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Why the TLS tests cannot run, or undefined; under CI=true a missing openssl is a failure, not a skip. */
export function tlsSkipReason(cert: TestCert | undefined): string | undefined {
  if (cert) return undefined;
  if (process.env.CI === 'true') throw new Error('openssl is required for the TLS tests under CI (apt-get install openssl)');
  return 'openssl not found: TLS tests skipped';
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface TestServer {
  port: number;
  origin: string;
  /** "METHOD /path" of every request received, in order. */
  hits: string[];
  /** Request headers of every request received, in order. */
  headers: http.IncomingHttpHeaders[];
  /** TLS SNI names seen (https only). */
  servernames: string[];
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export async function startTestServer(cert?: TestCert): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const hits: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const servernames: string[] = [];
  const handler: Handler = (req, res) => {
    hits.push(`${req.method} ${req.url}`);
    headers.push(req.headers);
    const h = routes.get((req.url ?? '/').split('?')[0]!);
    if (h) h(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
  const server = cert ? https.createServer({ key: cert.key, cert: cert.cert }, handler) : http.createServer(handler);
  if (cert) {
    server.on('secureConnection', (s: { servername?: string | false }) => servernames.push(String(s.servername || '')));
  }
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `${cert ? 'https' : 'http'}://127.0.0.1:${port}`,
    hits,
    headers,
    servernames,
    route: (path, h) => void routes.set(path, h),
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}
