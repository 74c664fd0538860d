// Signing in and out with a password (the web UI's session cookie) and "who am I". REST only:
// MCP callers authenticate with a bearer credential on every request and have no session.
import { EmptyInputSchema, NoOutputSchema } from '../../schemas/common.ts';
import { CurrentUserSchema, LoginInputSchema, LoginResultSchema } from '../../schemas/users.ts';
import { login, logout } from '../services/auth/login.ts';
import { getCurrentUser } from '../services/auth/me.ts';
import { READ, WRITE } from './crud.ts';
import { defineOperation } from './types.ts';

export const authOperations = [
  defineOperation({
    name: 'auth_login',
    title: 'Log in',
    description:
      'Checks a username and password and starts a session: the rackd_session cookie (HttpOnly, SameSite=Lax) is set. Wrong, unknown or inactive accounts get 401 INVALID_CREDENTIALS; an empty username or password 400 INVALID_INPUT. Rate limited per IP.',
    permission: 'public',
    annotations: WRITE,
    input: LoginInputSchema,
    output: LoginResultSchema,
    run: login,
    http: { method: 'POST', path: '/api/auth/login', response: 'session', requireBody: true },
    inputError: { code: 'INVALID_INPUT', message: 'username and password are required' },
  }),
  defineOperation({
    name: 'auth_logout',
    title: 'Log out',
    description: "Ends the caller's session and clears the cookie. Needs a session; API-key callers get 401.",
    permission: 'authenticated',
    annotations: { readOnly: false, destructive: false, idempotent: true },
    input: EmptyInputSchema,
    output: NoOutputSchema,
    run: logout,
    http: { method: 'POST', path: '/api/auth/logout', response: 'end-session' },
  }),
  defineOperation({
    name: 'auth_me',
    title: 'The current user',
    description: "The caller's account with roles and effective permissions (narrowed to the scopes of the key or token used).",
    permission: 'authenticated',
    annotations: READ,
    input: EmptyInputSchema,
    output: CurrentUserSchema,
    run: getCurrentUser,
    http: { method: 'GET', path: '/api/auth/me' },
  }),
];
