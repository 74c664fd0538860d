// Request id (X-Request-Id in and out), client IP resolution and the access log.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { anonymousContext } from '../../auth/context.ts';
import { cidrContains, formatIp, parseCidr, parseIp, unmapIp, type Cidr } from '../../net/ip.ts';
import { newRequestId } from '../../platform/ids.ts';
import { incomingOf, outgoingOf, requestHeader } from '../node-io.ts';
import type { AppEnv } from '../types.ts';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface ClientIpOptions {
  trustProxy: boolean;
  trustedProxies: string[];
}

function peerAddress(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const incoming = incomingOf(c);
  if (incoming) return incoming.socket?.remoteAddress ?? '';
  try {
    return getConnInfo(c).remote.address ?? '';
  } catch {
    return '';
  }
}

// The peer address comes from the kernel, so the same few recur: canonicalise each once.
const peerForms = new Map<string, string>();
function canonicalPeer(peer: string): string {
  let ip = peerForms.get(peer);
  if (ip === undefined) {
    ip = canonical(peer) ?? peer;
    if (peerForms.size >= 1024) peerForms.clear();
    peerForms.set(peer, ip);
  }
  return ip;
}

const canonical = (text: string): string | undefined => {
  const ip = parseIp(text);
  return ip ? formatIp(unmapIp(ip)) : undefined;
};

/**
 * Forwarded headers are believed only when the immediate peer is a trusted proxy. Walking
 * X-Forwarded-For from the right, the first address that is not itself a trusted proxy is the client.
 * An unparsable hop ends the walk at the last address a trusted proxy vouched for: whatever lies to
 * its left was written by someone we do not trust. X-Real-IP is used only when there is no
 * X-Forwarded-For at all, so a client cannot pick it by sending a malformed chain.
 */
export function resolveClientIp(peer: string, headers: { xff?: string; realIp?: string }, opts: ClientIpOptions, trusted: Cidr[]): string {
  const peerIp = canonical(peer) ?? peer;
  const isTrusted = (addr: string): boolean => {
    const ip = parseIp(addr);
    return !!ip && trusted.some((c) => cidrContains(c, unmapIp(ip)));
  };
  if (!opts.trustProxy || !isTrusted(peerIp)) return peerIp;
  const chain = (headers.xff ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (chain.length === 0) return (headers.realIp ? canonical(headers.realIp) : undefined) ?? peerIp;
  let vouched = peerIp;
  for (let i = chain.length - 1; i >= 0; i--) {
    const addr = canonical(chain[i]!);
    if (!addr) return vouched;
    if (!isTrusted(addr)) return addr;
    vouched = addr;
  }
  // Every hop is a trusted proxy: the furthest one is the closest thing to a client we know.
  return vouched;
}

/**
 * The request id (a safe X-Request-Id given by the client, else a new one), the client IP and the
 * anonymous caller, set on the context; the id goes on the response at once.
 */
export function requestIdentity(opts: ClientIpOptions): (c: Context<AppEnv>) => string {
  const trusted = opts.trustedProxies.map((t) => parseCidr(t)).filter((x): x is Cidr => !!x);
  // Forwarded headers are read only when they can matter (a trusted proxy in front).
  const forwarded = opts.trustProxy && trusted.length > 0;
  return (c) => {
    const given = requestHeader(c, 'x-request-id');
    const requestId = given && SAFE_REQUEST_ID.test(given) ? given : newRequestId();
    const peer = peerAddress(c);
    const ip = forwarded ? resolveClientIp(peer, { xff: requestHeader(c, 'x-forwarded-for'), realIp: requestHeader(c, 'x-real-ip') }, opts, trusted) : canonicalPeer(peer);
    c.set('requestId', requestId);
    c.set('ip', ip);
    c.set('authMethod', 'none');
    c.set('caller', anonymousContext(requestId, ip));
    // On node the header goes on the ServerResponse up front (node-io.ts); otherwise the caller
    // puts it onto the finished Response (c.header() after next() would rebuild it and drop inner headers).
    outgoingOf(c)?.setHeader('X-Request-Id', requestId);
    return requestId;
  };
}
