// Drives rackd's authorization server the way a browser and an MCP client would: a cookie jar,
// the sign-in and consent forms posted like a browser posts them, and an OAuthClientProvider for
// the MCP SDK whose redirectToAuthorization() does that browser step headlessly.
import { createServer } from 'node:net';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { startTestServer, type TestServer } from './server.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A test server whose issuer is its own loopback origin (so the SDK's origin checks pass). */
export async function startOAuthTestServer(overrides: Record<string, string> = {}): Promise<TestServer & { issuer: string }> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const s = await startTestServer({ LISTEN_ADDR: `127.0.0.1:${port}`, MCP_OAUTH_ISSUER_URL: issuer, ...overrides });
  return Object.assign(s, { issuer });
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m]!);

/** The hidden inputs of the (first) form in a page. */
export function hiddenInputs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) out[unescape(m[1]!)] = unescape(m[2]!);
  return out;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  private store(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string; location?: string }> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    const res = await fetch(new URL(url, this.base), { ...init, headers, redirect: 'manual' });
    this.store(res);
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') ?? undefined };
  }

  get(url: string) {
    return this.request(url);
  }

  postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

export interface BrowserStep {
  /** The redirect to the client (code or error), with state and iss. */
  location: URL;
  /** Pages seen on the way, for assertions. */
  loginPage?: string;
  consentPage: string;
}

/**
 * What a person does in a browser: open the authorization URL, sign in through the form if asked,
 * read the consent page and press Allow (or Deny). Returns where rackd sends the browser.
 */
export async function browserAuthorize(
  browser: Browser,
  authorizationUrl: string,
  user: { username: string; password: string },
  decision: 'approve' | 'deny' = 'approve',
): Promise<BrowserStep> {
  let page = await browser.get(authorizationUrl);
  let loginPage: string | undefined;
  if (page.status === 200 && page.text.includes('name="action" value="login"')) {
    loginPage = page.text;
    const login = await browser.postForm('/mcp-oauth/authorize', {
      ...hiddenInputs(page.text),
      action: 'login',
      username: user.username,
      password: user.password,
    });
    if (login.status !== 303 || !login.location) throw new Error(`sign-in failed: ${login.status} ${login.text.slice(0, 300)}`);
    page = await browser.get(login.location);
  }
  if (page.status !== 200 || !page.text.includes('value="approve"')) {
    throw new Error(`expected the consent page, got ${page.status} ${page.location ?? ''} ${page.text.slice(0, 300)}`);
  }
  const consent = await browser.postForm('/mcp-oauth/authorize', { ...hiddenInputs(page.text), action: decision });
  if (consent.status !== 303 || !consent.location) throw new Error(`consent failed: ${consent.status} ${consent.text.slice(0, 300)}`);
  return { location: new URL(consent.location), loginPage, consentPage: page.text };
}

/** An MCP SDK OAuthClientProvider that completes the browser step itself and keeps state in memory. */
export class TestOAuthProvider implements OAuthClientProvider {
  private info?: OAuthClientInformationMixed;
  private saved?: OAuthTokens;
  private verifier = '';
  private expectedState = '';
  /** The code of the last completed browser step, for transport.finishAuth(). */
  lastCode?: string;
  lastLocation?: URL;
  authorizations = 0;

  constructor(
    readonly browser: Browser,
    readonly user: { username: string; password: string },
    readonly issuer: string,
    readonly redirect = 'http://127.0.0.1:53682/callback',
    readonly extraMetadata: Partial<OAuthClientMetadata> = {},
  ) {}

  get redirectUrl(): string {
    return this.redirect;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'rackd test client',
      redirect_uris: [this.redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...this.extraMetadata,
    };
  }

  state(): string {
    this.expectedState = `st-${Math.random().toString(36).slice(2)}`;
    return this.expectedState;
  }

  clientInformation() {
    return this.info;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.info = info;
  }

  tokens() {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  saveCodeVerifier(v: string): void {
    this.verifier = v;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'client') this.info = undefined;
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.authorizations++;
    const { location } = await browserAuthorize(this.browser, url.href, this.user);
    // What a careful client checks on the callback (RFC 6749 state, RFC 9207 iss).
    if (location.searchParams.get('state') !== this.expectedState) throw new Error(`state mismatch in ${location.href}`);
    if (location.searchParams.get('iss') !== this.issuer) throw new Error(`iss mismatch in ${location.href}`);
    const code = location.searchParams.get('code');
    if (!code) throw new Error(`no code in ${location.href}`);
    this.lastCode = code;
    this.lastLocation = location;
  }
}

const TEST_VERIFIER = 'test-verifier-'.padEnd(64, 'x');

/**
 * Registers a public client (DCR), runs the browser step as `user` and exchanges the code: the
 * shortest honest way to a token pair for tests that are about what happens afterwards.
 */
export async function obtainTokens(
  s: { url: string },
  user: { username: string; password: string },
  scope = 'rackd:read rackd:write',
): Promise<{ access_token: string; refresh_token: string; scope: string; expires_in: number; client_id: string }> {
  const redirect = 'http://127.0.0.1:47001/cb';
  const reg = await fetch(`${s.url}/mcp-oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'helper client', redirect_uris: [redirect], token_endpoint_auth_method: 'none' }),
  });
  const { client_id } = (await reg.json()) as { client_id: string };
  const { createHash } = await import('node:crypto');
  const q = new URLSearchParams({
    response_type: 'code',
    client_id,
    redirect_uri: redirect,
    scope,
    state: 's',
    code_challenge: createHash('sha256').update(TEST_VERIFIER).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const { location } = await browserAuthorize(new Browser(s.url), `/mcp-oauth/authorize?${q}`, user);
  const res = await fetch(`${s.url}/mcp-oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code')!, client_id, redirect_uri: redirect, code_verifier: TEST_VERIFIER }),
  });
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${await res.text()}`);
  return { ...((await res.json()) as { access_token: string; refresh_token: string; scope: string; expires_in: number }), client_id };
}

/** POSTs one JSON-RPC message to /mcp with a bearer token. */
export async function mcpPost(url: string, token: string | undefined, message: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(message),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as any) : undefined };
}

export const toolCall = (name: string, args: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name, arguments: args },
});

export const decodeJwt = (jwt: string): Record<string, any> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
