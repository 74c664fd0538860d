import type { CallerContext } from '../auth/context.ts';
import type { Logger } from '../platform/logger.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    ip: string;
    log: Logger;
    caller: CallerContext;
    /** How the caller authenticated: decides CSRF and logout rules. */
    authMethod: 'session' | 'bearer' | 'none';
  };
}
