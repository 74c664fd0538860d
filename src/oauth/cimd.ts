// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a client whose
// client_id is an https URL publishes its registration there, and we fetch it through the
// SSRF-safe fetcher instead of asking it to register. This module decides whether a client_id is
// such a URL, fetches and validates the document, and caches the result in memory.
import { AppError } from '../platform/errors.ts';
import { OutboundError, safeFetch } from '../net/safe-fetch.ts';
import { MAX_URL_LENGTH, rawAuthority, type TargetPolicy } from '../net/url-guard.ts';
import { ClientMetadataError, validateClientMetadata } from '../services/oauth/client-metadata.ts';

export interface CimdClient {
  client_id: string;
  client_name: string;
  redirect_uris: string[];
  client_uri?: string;
  logo_uri?: string;
  /** Documents cannot carry a shared secret, and we do not support private_key_jwt: always public. */
  token_endpoint_auth_method: 'none';
  grant_types: string[];
  response_types: string[];
  /** The document's known scopes (unknown ones dropped). */
  scope?: string;
}

export type CimdFailure =
  | 'invalid_client_id'
  | 'fetch_failed'
  | 'bad_status'
  | 'not_json'
  | 'too_large'
  | 'client_id_mismatch'
  | 'invalid_document'
  | 'invalid_redirect_uri'
  | 'unsupported_auth_method';

/** Every CIMD failure; the OAuth layer answers invalid_client (or an error page) with `message`. */
export class CimdError extends AppError {
  readonly reason: CimdFailure;
  constructor(reason: CimdFailure, message: string, cause?: unknown) {
    super('VALIDATION_ERROR', `client_id: ${message}`, { cause, details: [{ field: 'client_id', message }] });
    this.name = 'CimdError';
    this.reason = reason;
  }
}

export interface ResolveCimdOptions {
  /** Which non-public targets may be fetched (policyFromConfig); https is enforced whatever httpsOnly says. */
  policy: Pick<TargetPolicy, 'allowPrivate' | 'allowLoopback'>;
  /** Injected for tests (trust a test CA, fake DNS); must behave like safeFetch. */
  fetch?: typeof safeFetch;
  /** Clock in milliseconds, for cache expiry. */
  now?: () => number;
  /** OAUTH_ALLOWED_REDIRECT_SCHEMES: private-use redirect schemes accepted in documents. */
  allowedRedirectSchemes?: readonly string[];
}

export const CIMD_MAX_BYTES = 5 * 1024; // the draft's recommended limit
export const CIMD_TIMEOUT_MS = 5_000;
export const CIMD_CACHE_MIN_MS = 60_000;
export const CIMD_CACHE_MAX_MS = 24 * 3600_000;
export const CIMD_CACHE_DEFAULT_MS = 5 * 60_000;
export const CIMD_FAILURE_TTL_MS = 30_000;
export const CIMD_CACHE_MAX_ENTRIES = 1000;

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Why a string is not a usable Client Identifier URL (draft §3), or undefined when it is one. */
export function cimdClientIdProblem(id: string): string | undefined {
  if (id.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  if (/[^\x21-\x7e]/.test(id) || id.includes('\\')) return 'must not contain whitespace, control or non-ASCII characters';
  if (!id.startsWith('https://')) return 'must be an https URL';
  if (id.includes('#')) return 'must not contain a fragment';
  const authority = rawAuthority(id);
  if (!authority) return 'must name a host';
  if (authority.includes('@')) return 'must not contain a user name or password';
  const path = id.slice('https://'.length + authority.length).split('?')[0]!;
  if (path === '' || path === '/') return 'must contain a path (such as /client-metadata.json)';
  // The URL parser would quietly remove dot segments, so look at the text as written (also %2e).
  const segments = path.split('/').map((s) => s.replace(/%2e/gi, '.'));
  if (segments.some((s) => s === '.' || s === '..')) return 'must not contain "." or ".." path segments';
  let url: URL;
  try {
    url = new URL(id);
  } catch {
    return 'is not a valid URL';
  }
  // The document's client_id is compared to this string byte for byte, and the same client must
  // not have two spellings, so only the form the URL parser itself writes is accepted.
  if (url.href !== id) return `must be written in canonical form (${url.href})`;
  return undefined;
}

export const isCimdClientId = (id: unknown): id is string => typeof id === 'string' && cimdClientIdProblem(id) === undefined;

interface CacheEntry {
  expiresAt: number;
  client?: CimdClient;
  error?: CimdError;
}

const cache = new Map<string, CacheEntry>();
const inFlight = new Map<string, Promise<CimdClient>>();

/** Forgets every cached document and failure (tests, or an operator-triggered refresh). */
export function clearCimdCache(): void {
  cache.clear();
}

function remember(key: string, entry: CacheEntry): void {
  cache.delete(key);
  cache.set(key, entry);
  // Map keeps insertion order, so the first key is the least recently stored one.
  while (cache.size > CIMD_CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

/** Cache lifetime from Cache-Control max-age, clamped to [1 min, 24 h]; 5 min when absent. */
export function cacheLifetimeMs(cacheControl: string | undefined): number {
  const cc = (cacheControl ?? '').toLowerCase();
  // no-store / no-cache still get the minimum: one sign-in resolves the client several times.
  const m = /(?:^|[,\s])max-age\s*=\s*"?(\d+)/.exec(cc);
  const ms = /(?:^|[,\s])(no-store|no-cache)(?:$|[,\s=])/.test(cc) ? 0 : m ? Number(m[1]) * 1000 : CIMD_CACHE_DEFAULT_MS;
  return Math.min(CIMD_CACHE_MAX_MS, Math.max(CIMD_CACHE_MIN_MS, ms));
}

/**
 * Fetches (or takes from the cache) and validates the metadata document of an https client_id.
 * Throws CimdError (VALIDATION_ERROR) for every failure, with a message fit for an error page.
 */
export async function resolveCimdClient(clientId: string, opts: ResolveCimdOptions): Promise<CimdClient> {
  const problem = cimdClientIdProblem(clientId);
  if (problem) throw new CimdError('invalid_client_id', problem);
  const now = opts.now ?? Date.now;
  const schemes = opts.allowedRedirectSchemes ?? [];
  const key = `${clientId}\n${schemes.join(',')}\n${opts.policy.allowPrivate}/${opts.policy.allowLoopback}`;
  const hit = cache.get(key);
  if (hit && hit.expiresAt > now()) {
    if (hit.error) throw hit.error;
    return hit.client!;
  }
  const pending = inFlight.get(key);
  if (pending) return pending;
  const work = (async () => {
    try {
      const { client, ttlMs } = await fetchDocument(clientId, opts, schemes);
      // One object is handed to every caller until it expires: frozen, so nobody can edit it for the others.
      Object.freeze(client.redirect_uris);
      Object.freeze(client.grant_types);
      Object.freeze(client.response_types);
      Object.freeze(client);
      remember(key, { client, expiresAt: now() + ttlMs });
      return client;
    } catch (err) {
      const error = err instanceof CimdError ? err : new CimdError('fetch_failed', 'could not fetch the client metadata document', err);
      // The draft forbids caching errors as if they were documents; this is only back-off, so a
      // broken or hostile client_id cannot make us fetch it on every request. A fixed document
      // is seen at most 30 s later.
      remember(key, { error, expiresAt: now() + CIMD_FAILURE_TTL_MS });
      throw error;
    } finally {
      inFlight.delete(key);
    }
  })();
  inFlight.set(key, work);
  return work;
}

async function fetchDocument(
  clientId: string,
  opts: ResolveCimdOptions,
  schemes: readonly string[],
): Promise<{ client: CimdClient; ttlMs: number }> {
  const fetch = opts.fetch ?? safeFetch;
  let res;
  try {
    res = await fetch(clientId, {
      policy: { ...opts.policy, httpsOnly: true },
      accept: 'application/json',
      maxBytes: CIMD_MAX_BYTES,
      timeoutMs: CIMD_TIMEOUT_MS,
    });
  } catch (err) {
    const msg = err instanceof Error ? err.message.replace(/^url: /, '') : String(err);
    if (err instanceof OutboundError && err.reason === 'too_large') throw new CimdError('too_large', `the client metadata document is larger than ${CIMD_MAX_BYTES} bytes`, err);
    throw new CimdError('fetch_failed', `could not fetch the client metadata document: ${msg}`, err);
  }
  if (res.status !== 200) {
    const hint = res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : '';
    throw new CimdError('bad_status', `fetching the client metadata document answered HTTP ${res.status}${hint}; 200 is required`);
  }
  const type = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw new CimdError('not_json', `the client metadata document must be served as application/json, got "${type || 'no content type'}"`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new CimdError('not_json', 'the client metadata document is not valid JSON');
  }
  return { client: validateCimdDocument(clientId, doc, schemes), ttlMs: cacheLifetimeMs(res.headers['cache-control']) };
}

const shown = (v: unknown): string => JSON.stringify(v)?.slice(0, 120) ?? String(v);
const bad = (message: string) => new CimdError('invalid_document', message);

/** Checks a parsed document against the draft and our own rules; exported for the registration tests. */
export function validateCimdDocument(clientId: string, doc: unknown, allowedRedirectSchemes: readonly string[] = []): CimdClient {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('the client metadata document must be a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.client_id !== clientId) {
    throw new CimdError(
      'client_id_mismatch',
      `the document's client_id ${shown(d.client_id)} does not match the URL it was fetched from (${clientId})`,
    );
  }
  if ('client_secret' in d || 'client_secret_expires_at' in d) throw bad('a client metadata document must not contain client_secret');
  const keys = (d.jwks as { keys?: unknown } | undefined)?.keys;
  if (Array.isArray(keys) && keys.some((k) => typeof k === 'object' && k !== null && PRIVATE_JWK_MEMBERS.some((m) => m in k))) {
    throw bad('jwks must not contain private key material');
  }
  let m;
  try {
    m = validateClientMetadata(d, 'cimd', { allowedSchemes: allowedRedirectSchemes });
  } catch (err) {
    if (!(err instanceof ClientMetadataError)) throw err;
    // A bad URI in the list is invalid_redirect_uri; a list that is missing or too long is a bad document.
    const reason = err.reason === 'unsupported_auth_method' ? err.reason : err.reason === 'invalid_redirect_uri' && err.field !== 'redirect_uris' ? 'invalid_redirect_uri' : 'invalid_document';
    throw new CimdError(reason, err.message);
  }
  const client: CimdClient = {
    client_id: clientId,
    client_name: m.name,
    redirect_uris: m.redirectUris,
    token_endpoint_auth_method: 'none',
    grant_types: m.grantTypes,
    response_types: m.responseTypes,
  };
  if (m.clientUri !== undefined) client.client_uri = m.clientUri;
  if (m.logoUri !== undefined) client.logo_uri = m.logoUri;
  if (m.scope !== null) client.scope = m.scope;
  return client;
}
