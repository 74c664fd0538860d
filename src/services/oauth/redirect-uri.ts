// Redirect URI rules shared by dynamic registration, API registration and CIMD documents.
// A redirect URI is where the authorization code goes, so the rules are strict and judged both on
// the text as written and on what the URL parser makes of it: past bypasses of scheme deny-lists
// used upper case ("JavaScript:"), leading spaces, tabs and control characters that the parser
// quietly strips, and host spellings (0x7f.1, 2130706433) that mean something else than they say.
import { AppError } from '../../platform/errors.ts';
import { parseIp } from '../../net/ip.ts';
import { rawAuthority } from '../../net/url-guard.ts';

export interface RedirectUriRules {
  /** Private-use schemes accepted besides https and loopback http (OAUTH_ALLOWED_REDIRECT_SCHEMES), lower case. */
  allowedSchemes: readonly string[];
}

/** Never accepted, even if listed in OAUTH_ALLOWED_REDIRECT_SCHEMES. */
export const FORBIDDEN_REDIRECT_SCHEMES: ReadonlySet<string> = new Set([
  'javascript',
  'data',
  'vbscript',
  'file',
  'blob',
  'about',
  'filesystem',
  'view-source',
  'ftp',
  'ws',
  'wss',
]);

export const MAX_REDIRECT_URI_LENGTH = 2048;

/** localhost, 127.0.0.0/8 and ::1 (brackets optional): where native apps listen (RFC 8252 §7.3). */
export function isLoopbackRedirectHost(hostname: string): boolean {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (host.toLowerCase() === 'localhost') return true;
  const ip = parseIp(host);
  if (!ip || host.includes('%')) return false;
  return ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n;
}

/** What is wrong with a redirect URI, or undefined when it is acceptable. */
export function redirectUriProblem(uri: unknown, rules: RedirectUriRules): string | undefined {
  if (typeof uri !== 'string' || uri.length === 0) return 'must be a non-empty string';
  if (uri.length > MAX_REDIRECT_URI_LENGTH) return `must be at most ${MAX_REDIRECT_URI_LENGTH} characters`;
  // Printable ASCII only: whitespace, control characters and non-ASCII look-alikes are refused
  // outright instead of being normalized away; backslashes are rewritten to "/" by the parser.
  if (/[^\x21-\x7e]/.test(uri)) return 'must not contain whitespace, control or non-ASCII characters';
  if (uri.includes('\\')) return 'must not contain backslashes';
  if (uri.includes('#')) return 'must not contain a fragment';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not a valid absolute URI';
  }
  const scheme = url.protocol.slice(0, -1);
  if (!uri.startsWith(url.protocol)) return 'must write its scheme in lower case';
  if (FORBIDDEN_REDIRECT_SCHEMES.has(scheme)) return `must not use the ${scheme}: scheme`;
  const authority = rawAuthority(uri);
  if ((authority?.includes('@') ?? false) || url.username || url.password) return 'must not contain a user name or password';

  if (scheme === 'https' || scheme === 'http') {
    // "https:/x" and "https:///x" parse as https://x/ — require the authority to be written out.
    if (!authority) return 'must name a host after "//"';
    // The host as written must be the host the parser saw, byte for byte: no numeric or
    // trailing-dot tricks, and no upper case (codes are sent to the URI compared as a string, so a
    // client must not hold two spellings of one redirect target).
    const writtenHost = /^(\[[^\]]*\]|[^:]*)(?::\d*)?$/.exec(authority)?.[1];
    if (writtenHost === undefined || writtenHost !== url.hostname) {
      return `must write its host in canonical form (${url.hostname})`;
    }
    if (scheme === 'http' && !isLoopbackRedirectHost(url.hostname)) {
      return 'must use https (plain http is allowed only for localhost, 127.0.0.1 or [::1])';
    }
    return undefined;
  }
  if (!rules.allowedSchemes.includes(scheme)) {
    return `must use https, http on a loopback host, or a private-use scheme this server allows (${scheme}: is not one)`;
  }
  return undefined;
}

/**
 * Returns the redirect URI unchanged (it is later compared by exact string match) or throws
 * VALIDATION_ERROR naming the problem; the OAuth layer turns it into invalid_redirect_uri.
 */
export function validateRedirectUri(uri: unknown, rules: RedirectUriRules, field = 'redirect_uri'): string {
  const problem = redirectUriProblem(uri, rules);
  if (problem) {
    throw new AppError('VALIDATION_ERROR', `${field}: ${problem}`, { details: [{ field, message: problem }] });
  }
  return uri as string;
}
