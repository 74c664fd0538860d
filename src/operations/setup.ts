// First-run setup (REST only, reachable without credentials: the one-time token printed in the
// server log is the permission). GET tells the web UI whether the database still needs its first
// administrator; POST creates it and signs it in like auth_login does.
import { EmptyInputSchema } from '../../schemas/common.ts';
import { SetupInputSchema, SetupStatusSchema } from '../../schemas/setup.ts';
import { LoginResultSchema } from '../../schemas/users.ts';
import { completeSetup, setupStatus } from '../services/setup/complete.ts';
import { READ, WRITE } from './crud.ts';
import { defineOperation } from './types.ts';

export const SETUP_PATH = '/api/setup';

export const setupOperations = [
  defineOperation({
    name: 'setup_status',
    title: 'Whether first-run setup is needed',
    description: 'needed is true while the database has no user, so /setup can create the first administrator.',
    permission: 'public',
    annotations: READ,
    input: EmptyInputSchema,
    output: SetupStatusSchema,
    run: setupStatus,
    http: { method: 'GET', path: SETUP_PATH },
  }),
  defineOperation({
    name: 'setup_complete',
    title: 'Create the first administrator',
    description:
      'Creates the first administrator with the one-time setup token printed in the server log at start, and signs it in (the session cookie is set). 403 FORBIDDEN for a wrong or expired token, 409 CONFLICT once any user exists. On the login rate limit.',
    permission: 'public',
    annotations: WRITE,
    input: SetupInputSchema,
    output: LoginResultSchema,
    run: completeSetup,
    http: { method: 'POST', path: SETUP_PATH, status: 201, response: 'session', requireBody: true },
  }),
];
