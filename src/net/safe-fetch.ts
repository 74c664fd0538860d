// The one way rackd sends HTTP requests to URLs that users or clients chose (webhooks, CIMD
// documents): the URL is checked, the host is resolved ONCE, every resolved address is vetted,
// and the socket goes to the vetted address, so a DNS answer that changes between the check and
// the connection (DNS rebinding) cannot steer the request. Redirects are never followed, the
// response is bounded in time and size, and no cookies or proxies are involved (HTTP(S)_PROXY is
// ignored on purpose: a proxy would resolve the name again, out of our sight).
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { AppError } from '../platform/errors.ts';
import { assertAddressAllowed, checkTargetUrl, familyOf, policyFromConfig, type TargetPolicy } from './url-guard.ts';

export { policyFromConfig, type TargetPolicy };

/** Keep in step with package.json; tests/net/safe-fetch.test.ts fails when they drift. */
export const RACKD_VERSION = '0.1.0';
export const USER_AGENT = `rackd/${RACKD_VERSION}`;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to all its addresses; injectable so tests can play a rebinding DNS server. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SafeFetchInit {
  policy: TargetPolicy;
  method?: string;
  /** Extra request headers. Host, Cookie, Content-Length and User-Agent are always set by safeFetch. */
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Whole request: resolution, connection, headers and body. Default 10 s. */
  timeoutMs?: number;
  /** Largest response body accepted; past it the request is aborted. Default 1 MiB. */
  maxBytes?: number;
  /** User-Agent; default rackd/<version>. */
  userAgent?: string;
  /** Accept header; default * / *. */
  accept?: string;
  /** Extra trust anchors for https (tests use a throw-away CA); the system store is still checked otherwise. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Name resolution; default dns.lookup(all: true). */
  resolve?: Resolver;
  signal?: AbortSignal;
}

export interface SafeResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** The address the request was actually sent to. */
  address: string;
}

const defaultResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export type OutboundFailure = 'dns' | 'connect' | 'timeout' | 'too_large' | 'aborted';

/** BAD_GATEWAY with a machine-readable reason; refused targets are plain VALIDATION_ERRORs instead. */
export class OutboundError extends AppError {
  readonly reason: OutboundFailure;
  constructor(reason: OutboundFailure, message: string, cause?: unknown) {
    super('BAD_GATEWAY', message, { cause, details: [{ field: 'url', message }] });
    this.name = 'OutboundError';
    this.reason = reason;
  }
}

const gatewayError = (reason: OutboundFailure, message: string, cause?: unknown): OutboundError =>
  new OutboundError(reason, message, cause);

const STRIPPED_HEADERS = new Set(['host', 'cookie', 'cookie2', 'content-length', 'user-agent', 'connection', 'transfer-encoding']);

/**
 * Sends one request under the SSRF policy. Refused targets throw VALIDATION_ERROR (the message
 * says why); DNS failures, connection and TLS errors, timeouts and oversized responses throw
 * BAD_GATEWAY and never return a partial body. A 3xx is returned as is: callers decide.
 */
export async function safeFetch(target: string | URL, init: SafeFetchInit): Promise<SafeResponse> {
  const { url, hostname, address: literal } = checkTargetUrl(target, init.policy);
  const timeoutMs = init.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = init.maxBytes ?? DEFAULT_MAX_BYTES;
  // Messages name the origin only: query strings of webhook URLs may carry secrets.
  const where = url.origin;

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onOuterAbort = () => controller.abort();
  init.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const abortError = () =>
    timedOut ? gatewayError('timeout', `${where} did not answer within ${timeoutMs} ms`) : gatewayError('aborted', `request to ${where} was aborted`);

  try {
    if (init.signal?.aborted) throw abortError();
    const address = literal ?? (await resolveOnce(hostname, init.resolve ?? defaultResolver, init.policy, controller.signal, abortError));
    return await send(url, address, hostname, literal !== undefined, init, maxBytes, controller.signal, abortError);
  } finally {
    clearTimeout(timer);
    init.signal?.removeEventListener('abort', onOuterAbort);
  }
}

async function resolveOnce(
  hostname: string,
  resolve: Resolver,
  policy: TargetPolicy,
  signal: AbortSignal,
  abortError: () => AppError,
): Promise<string> {
  let answers: ResolvedAddress[];
  try {
    answers = await new Promise<ResolvedAddress[]>((ok, fail) => {
      signal.addEventListener('abort', () => fail(abortError()), { once: true });
      resolve(hostname).then(ok, fail);
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw gatewayError('dns', `could not resolve ${hostname}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, err);
  }
  if (answers.length === 0) throw gatewayError('dns', `could not resolve ${hostname}: no addresses`);
  // Every answer must pass, not just the first: otherwise an attacker's name that resolves to
  // [public, 169.254.169.254] would be accepted and the connection could land on either.
  for (const a of answers) assertAddressAllowed(a.address, policy, hostname);
  return answers[0]!.address;
}

function send(
  url: URL,
  address: string,
  hostname: string,
  isLiteral: boolean,
  init: SafeFetchInit,
  maxBytes: number,
  signal: AbortSignal,
  abortError: () => AppError,
): Promise<SafeResponse> {
  const isHttps = url.protocol === 'https:';
  const family = familyOf(address);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(init.headers ?? {})) {
    if (!STRIPPED_HEADERS.has(k.toLowerCase())) headers[k.toLowerCase()] = v;
  }
  headers.host = url.host;
  headers['user-agent'] = init.userAgent ?? USER_AGENT;
  headers.accept = init.accept ?? headers.accept ?? '*/*';
  headers['accept-encoding'] = 'identity';
  headers.connection = 'close';
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
  if (body) headers['content-length'] = String(body.length);

  // The socket is opened to the vetted IP itself; the lookup hook only exists so that nothing
  // below us can ever substitute another answer for the name.
  const pinned: LookupFunction = (_name, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const options: https.RequestOptions = {
    method: init.method ?? 'GET',
    host: address,
    family,
    port: url.port ? Number(url.port) : isHttps ? 443 : 80,
    path: `${url.pathname}${url.search}`,
    headers,
    setHost: false,
    agent: false,
    lookup: pinned,
    signal,
  };
  if (isHttps) {
    // SNI and the certificate check use the name the user gave, not the IP we connect to.
    if (!isLiteral) options.servername = hostname;
    if (init.ca !== undefined) options.ca = init.ca;
  }

  return new Promise<SafeResponse>((resolve, reject) => {
    let settled = false;
    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(err);
    };
    const req = (isHttps ? https : http).request(options, (res) => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        fail(gatewayError('too_large', `response from ${url.origin} is larger than ${maxBytes} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) fail(gatewayError('too_large', `response from ${url.origin} is larger than ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', (err) => fail(signal.aborted ? abortError() : gatewayError('connect', `reading from ${url.origin} failed`, err)));
      res.on('close', () => {
        if (!res.complete) fail(signal.aborted ? abortError() : gatewayError('connect', `${url.origin} closed the connection early`));
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
        }
        resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks), address });
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (signal.aborted) fail(abortError());
      else fail(gatewayError('connect', `could not reach ${url.origin}: ${err.code ?? err.message}`, err));
    });
    req.end(body);
  });
}
