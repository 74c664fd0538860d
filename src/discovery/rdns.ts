// Reverse DNS (PTR) for the hosts a scan finds: c-ares through dns.promises.Resolver (a PTR query,
// so a dead resolver shows as a timeout rather than as "not found"), one try per lookup with the
// probe timeout, a bounded number in flight. When the resolver itself fails
// (timeouts, refused, server failure — not "no such name") many times in a row, lookups stop for
// the rest of the scan instead of spending a timeout on every host.
import { Resolver } from 'node:dns/promises';
import { parseIp } from '../net/ip.ts';
import { Semaphore } from './semaphore.ts';

const RESOLVER_DOWN = new Set(['ETIMEOUT', 'ECONNREFUSED', 'ESERVFAIL', 'ECANCELLED', 'EREFUSED', 'ECONNRESET']);

export interface ReverseResolver {
  reverse(ip: string): Promise<string | undefined>;
  /** True once the resolver was given up on for this scan. */
  readonly disabled: boolean;
}

export const normalizeHostname = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

/** 10.1.2.3 → 3.2.1.10.in-addr.arpa; IPv6 → its nibbles under ip6.arpa. */
export function ptrName(ip: string): string | undefined {
  const parsed = parseIp(ip);
  if (!parsed) return undefined;
  if (parsed.family === 4) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  return `${parsed.value.toString(16).padStart(32, '0').split('').reverse().join('.')}.ip6.arpa`;
}

export interface ReverseResolverOptions {
  timeoutMs: number;
  concurrency?: number;
  /** Resolver failures in a row after which lookups stop (default 16). */
  giveUpAfter?: number;
  onGiveUp?: () => void;
  /** DNS servers to ask instead of the system's (tests). */
  servers?: string[];
}

export function createReverseResolver(opts: ReverseResolverOptions): ReverseResolver {
  const resolver = new Resolver({ timeout: Math.max(1, Math.round(opts.timeoutMs)), tries: 1 });
  if (opts.servers) resolver.setServers(opts.servers);
  const slots = new Semaphore(opts.concurrency ?? 64);
  const giveUpAfter = opts.giveUpAfter ?? 16;
  let failures = 0;
  let disabled = false;
  return {
    get disabled() {
      return disabled;
    },
    async reverse(ip) {
      if (disabled) return undefined;
      return slots.run(async () => {
        if (disabled) return undefined;
        const name = ptrName(ip);
        if (!name) return undefined;
        try {
          const names = await resolver.resolvePtr(name);
          failures = 0;
          return names[0] ? normalizeHostname(names[0]) : undefined;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? '';
          if (!RESOLVER_DOWN.has(code)) {
            failures = 0;
            return undefined;
          }
          if (++failures >= giveUpAfter && !disabled) {
            disabled = true;
            opts.onGiveUp?.();
          }
          return undefined;
        }
      });
    },
  };
}
