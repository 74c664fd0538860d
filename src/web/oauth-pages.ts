// The authorization server's pages: sign-in, consent and error. Plain forms that POST back to
// /mcp-oauth/authorize; every value shown is escaped, nothing here reads storage.
import { esc, hiddenFields, page } from './html.ts';

export const AUTHORIZE_PATH = '/mcp-oauth/authorize';

export interface LoginPageData {
  clientName: string;
  hidden: Record<string, string>;
  csrf: string;
  username?: string;
  error?: string;
}

export function loginPage(d: LoginPageData): string {
  return page(
    'Sign in',
    `<h1>Sign in to rackd</h1>
<p class="lead">to continue to <strong>${esc(d.clientName)}</strong></p>
${d.error ? `<p class="error" role="alert">${esc(d.error)}</p>` : ''}
<form method="post" action="${AUTHORIZE_PATH}">
${hiddenFields(d.hidden)}
<input type="hidden" name="csrf_token" value="${esc(d.csrf)}">
<input type="hidden" name="action" value="login">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required autofocus value="${esc(d.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" class="primary">Sign in</button>
</form>`,
  );
}

export interface ConsentPageData {
  clientName: string;
  clientId: string;
  /** dcr: named itself; cimd: name from a document at client_id; api: registered by a rackd user. */
  clientKind: 'dcr' | 'api' | 'cimd';
  clientUri?: string;
  redirectUri: string;
  redirectHost: string;
  loopback: boolean;
  username: string;
  scopes: Array<{ name: string; text: string }>;
  hidden: Record<string, string>;
  csrf: string;
}

function identityNote(d: ConsentPageData): string {
  if (d.clientKind === 'cimd') {
    const host = new URL(d.clientId).host;
    return `<p class="note">This application is identified by a document published at <strong>${esc(host)}</strong>.</p>`;
  }
  if (d.clientKind === 'dcr') {
    return '<p class="note">This application registered itself; rackd cannot confirm that its name is true.</p>';
  }
  return '<p class="note">This application was registered by a rackd user.</p>';
}

export function consentPage(d: ConsentPageData): string {
  const warning = d.loopback
    ? `<p class="warning" role="alert">The answer goes to a program on this computer (<strong>${esc(d.redirectHost)}</strong>). Any program can claim a name; approve only if you started this connection yourself just now.</p>`
    : '';
  return page(
    'Authorize access',
    `<h1>Allow <strong>${esc(d.clientName)}</strong> to use rackd?</h1>
<p class="lead">Signed in as <strong>${esc(d.username)}</strong>. The application will act as you and can never do more than your account may.</p>
${identityNote(d)}
${d.clientUri ? `<p class="note">Application home page: ${esc(d.clientUri)}</p>` : ''}
<h2>It asks to</h2>
<ul class="scopes">
${d.scopes.map((s) => `<li><span class="scope-text">${esc(s.text)}</span> <code>${esc(s.name)}</code></li>`).join('\n')}
</ul>
<p>After you decide, you will be sent to <strong>${esc(d.redirectHost)}</strong> <span class="uri">(${esc(d.redirectUri)})</span>.</p>
${warning}
<form method="post" action="${AUTHORIZE_PATH}" class="actions">
${hiddenFields(d.hidden)}
<input type="hidden" name="csrf_token" value="${esc(d.csrf)}">
<button type="submit" name="action" value="deny">Deny</button>
<button type="submit" name="action" value="approve" class="primary">Allow</button>
</form>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${esc(title)}</h1>\n<p class="error">${esc(message)}</p>\n<p>You can close this window and try again from the application.</p>`);
}
