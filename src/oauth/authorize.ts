// GET/POST /mcp-oauth/authorize: the browser part of the flow. Without a session the sign-in page
// is shown (its form posts here with action=login); with one, the consent page (approve/deny post
// here with a CSRF token bound to the session and the request). Every response is no-store and
// unframeable; forms post only to this origin and, for consent, to the client's redirect origin.
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { CONTENT_SECURITY_POLICY } from '../http/middleware/security-headers.ts';
import { SESSION_COOKIE, setSessionCookie } from '../http/middleware/authenticate.ts';
import type { AppEnv } from '../http/types.ts';
import { AppError } from '../platform/errors.ts';
import { newId, randomToken } from '../platform/ids.ts';
import { authenticateSession } from '../services/auth/authenticate.ts';
import { login } from '../services/auth/login.ts';
import { CODE_PREFIX } from '../services/oauth/internal.ts';
import { consentPage, errorPage, loginPage } from '../web/oauth-pages.ts';
import { oauthContext, oauthEvent } from './audit.ts';
import { checkAuthorizationRequest, redirectWith, type AuthorizationRequest, type Checked } from './authorize-request.ts';
import { checkConsentToken, checkLoginToken, consentToken, loginToken } from './csrf.ts';
import { paramsOf } from './form.ts';
import { isLoopbackRedirect } from './redirect-match.ts';
import { describeScope } from '../auth/scopes.ts';
import type { OAuthServer } from './server.ts';

export const CODE_TTL_MS = 60_000;
const LOGIN_NONCE_COOKIE = 'rackd_oauth_login';

type C = Context<AppEnv>;

/** form-action for a page whose form may end in a redirect to the client. */
function pageCsp(redirectUri?: string): string {
  if (!redirectUri) return CONTENT_SECURITY_POLICY;
  const url = new URL(redirectUri);
  const target = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
  return CONTENT_SECURITY_POLICY.replace("form-action 'self'", `form-action 'self' ${target}`);
}

function htmlResponse(c: C, body: string, status: 200 | 400 | 401 | 403, redirectUri?: string): Response {
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
  c.header('X-Frame-Options', 'DENY');
  c.header('Content-Security-Policy', pageCsp(redirectUri));
  return c.html(body, status);
}

function redirect(c: C, location: string, status: 302 | 303): Response {
  c.header('Cache-Control', 'no-store');
  return c.redirect(location, status);
}

const clientLabel = (r: AuthorizationRequest) => r.client.name || new URL(r.redirectUri).host || 'an unnamed application';

function redirectHost(uri: string): string {
  const url = new URL(uri);
  return url.host || `${url.protocol}//`;
}

async function currentSession(server: OAuthServer, c: C) {
  const cookie = getCookie(c, SESSION_COOKIE);
  if (!cookie) return undefined;
  const r = await authenticateSession(server.env, cookie, { requestId: c.get('requestId'), ip: c.get('ip'), source: 'oauth' });
  return r.ok && r.ctx.actor.kind === 'session' ? r.ctx : undefined;
}

function showLogin(server: OAuthServer, c: C, r: AuthorizationRequest, status: 200 | 401, extra: { error?: string; username?: string } = {}): Response {
  let nonce = getCookie(c, LOGIN_NONCE_COOKIE);
  if (!nonce || nonce.length > 64) {
    nonce = randomToken(24);
    setCookie(c, LOGIN_NONCE_COOKIE, nonce, { httpOnly: true, secure: server.env.config.cookieSecure, sameSite: 'Strict', path: '/mcp-oauth' });
  }
  const body = loginPage({ clientName: clientLabel(r), hidden: r.carry, csrf: loginToken(server.env.keys, nonce), ...extra });
  return htmlResponse(c, body, status, r.redirectUri);
}

function showConsent(server: OAuthServer, c: C, r: AuthorizationRequest, session: { sessionHash: string; username: string }): Response {
  const body = consentPage({
    clientName: clientLabel(r),
    clientId: r.client.clientId,
    clientKind: r.client.kind,
    clientUri: r.client.clientUri ?? undefined,
    redirectUri: r.redirectUri,
    redirectHost: redirectHost(r.redirectUri),
    loopback: isLoopbackRedirect(r.redirectUri),
    username: session.username,
    scopes: r.scopes.map((name) => ({ name, text: describeScope(name) })),
    hidden: r.carry,
    csrf: consentToken(server.env.keys, session.sessionHash, r.carry),
  });
  return htmlResponse(c, body, 200, r.redirectUri);
}

function answerChecked(c: C, checked: Exclude<Checked, { kind: 'ok' }>, status: 302 | 303): Response {
  if (checked.kind === 'page') return htmlResponse(c, errorPage(checked.title, checked.message), checked.status);
  return redirect(c, checked.location, status);
}

export async function authorizeGet(server: OAuthServer, c: C): Promise<Response> {
  const { params, repeated } = paramsOf(new URL(c.req.url).searchParams);
  const checked = await checkAuthorizationRequest(server, params, repeated);
  if (checked.kind !== 'ok') return answerChecked(c, checked, 302);
  const session = await currentSession(server, c);
  if (!session || session.actor.kind !== 'session') return showLogin(server, c, checked.request, 200);
  return showConsent(server, c, checked.request, session.actor);
}

export async function authorizePost(server: OAuthServer, c: C): Promise<Response> {
  const { env } = server;
  const origin = c.req.header('origin');
  if (origin !== undefined && !server.ownOrigins().has(origin)) {
    return htmlResponse(c, errorPage('Request refused', 'This form was submitted from another site.'), 403);
  }
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    return htmlResponse(c, errorPage('Request refused', 'Expected a form submission.'), 400);
  }
  const { params: all, repeated } = paramsOf(new URLSearchParams(await c.req.text()));
  const action = all.get('action');
  const csrf = all.get('csrf_token');
  const oauthParams = new Map([...all].filter(([k]) => (['action', 'csrf_token', 'username', 'password'] as string[]).indexOf(k) < 0));
  const checked = await checkAuthorizationRequest(server, oauthParams, repeated.filter((k) => k !== 'action'));
  if (checked.kind !== 'ok') return answerChecked(c, checked, 303);
  const r = checked.request;

  if (action === 'login') {
    if (!checkLoginToken(env.keys, getCookie(c, LOGIN_NONCE_COOKIE), csrf)) {
      return htmlResponse(c, errorPage('Request refused', 'The sign-in form expired or was not loaded from rackd. Go back and try again.'), 403);
    }
    const username = all.get('username') ?? '';
    try {
      const result = await login(env, { ...c.get('caller'), source: 'oauth' }, { username, password: all.get('password') ?? '' }, { userAgent: c.req.header('user-agent') ?? '' });
      setSessionCookie(c, result.token, result.expires_at, env.config.cookieSecure);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'INVALID_CREDENTIALS' || err.code === 'INVALID_INPUT')) {
        return showLogin(server, c, r, 401, { error: 'Invalid username or password', username });
      }
      throw err;
    }
    return redirect(c, `/mcp-oauth/authorize?${new URLSearchParams(r.carry).toString()}`, 303);
  }

  if (action !== 'approve' && action !== 'deny') return htmlResponse(c, errorPage('Request refused', 'Unknown action.'), 400);
  const session = await currentSession(server, c);
  if (!session || session.actor.kind !== 'session') return showLogin(server, c, r, 401, { error: 'Your session ended; sign in again.' });
  const actor = session.actor;
  if (!checkConsentToken(env.keys, actor.sessionHash, r.carry, csrf)) {
    return htmlResponse(c, errorPage('Request refused', 'The consent form expired or was not loaded from rackd. Start again from the application.'), 403);
  }
  const issuer = server.urls().issuer;
  const who = { userId: actor.userId, clientId: r.client.clientId, scope: r.scopes.join(' ') };
  const audit = { resource: 'oauth_client', resourceId: r.client.id };
  if (action === 'deny') {
    await oauthEvent(server, session, who, { action: 'oauth_consent.deny', ...audit }, 'success', { extra: { client_id: r.client.clientId, scope: who.scope } });
    return redirect(c, redirectWith(r.redirectUri, issuer, { error: 'access_denied', error_description: 'The user denied the request', state: r.state }), 303);
  }
  const code = CODE_PREFIX + randomToken(32);
  const nowMs = env.clock.now().getTime();
  const grantId = newId();
  await server.store.write((w) => {
    w.insertCode(code, {
      clientId: r.client.id,
      userId: actor.userId,
      grantId,
      redirectUri: r.redirectUri,
      scope: r.scopes.join(' '),
      resource: r.resource,
      codeChallenge: r.codeChallenge,
      createdAt: new Date(nowMs).toISOString(),
      expiresAt: new Date(nowMs + CODE_TTL_MS).toISOString(),
    });
    w.touchClient(r.client.id, new Date(nowMs).toISOString());
    w.publish(oauthContext(server, session, { ...who, grantId }), 'oauth_authorization.granted', {
      resource_id: r.client.id,
      after: { client_id: r.client.clientId, client_name: r.client.name, user_id: actor.userId, scope: who.scope, redirect_uri: r.redirectUri },
    });
  });
  await oauthEvent(server, session, { ...who, grantId }, { action: 'oauth_consent.grant', ...audit }, 'success', { extra: { client_id: r.client.clientId, scope: who.scope, redirect_uri: r.redirectUri } });
  return redirect(c, redirectWith(r.redirectUri, issuer, { code, state: r.state }), 303);
}
