// Reverse DNS (PTR) for the hosts a scan finds: c-ares through dns.promises.Resolver, one try per
// lookup with the probe timeout, a bounded number in flight. When the resolver itself fails
// (timeouts, refused, server failure — not "no such name") many times in a row, lookups stop for
// the rest of the scan instead of spending a timeout on every host.
import { Resolver } from 'node:dns/promises';
import { Semaphore } from './semaphore.ts';

const RESOLVER_DOWN = new Set(['ETIMEOUT', 'ECONNREFUSED', 'ESERVFAIL', 'ECANCELLED', 'EREFUSED', 'ECONNRESET']);

export interface ReverseResolver {
  reverse(ip: string): Promise<string | undefined>;
  /** True once the resolver was given up on for this scan. */
  readonly disabled: boolean;
}

export const normalizeHostname = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

export function createReverseResolver(opts: { timeoutMs: number; concurrency?: number; giveUpAfter?: number; onGiveUp?: () => void }): ReverseResolver {
  const resolver = new Resolver({ timeout: Math.max(1, Math.round(opts.timeoutMs)), tries: 1 });
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
        try {
          const names = await resolver.reverse(ip);
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
