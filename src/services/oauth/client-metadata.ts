// The one validator of OAuth client metadata, for the three ways a client comes to exist: dynamic
// registration (RFC 7591, `dcr`), a Client ID Metadata Document (`cimd`) and an agent client a
// user registers through /api/oauth/clients (`api`). The field rules are the same for all three;
// the profile only says what each way may declare (a document cannot carry a secret, an agent
// always authenticates with its secret) and how strict to be with scopes: self-registered
// clients get unknown scopes dropped (RFC 7591 lets a server narrow them), a user registering an
// agent is told about a typo. Each caller maps ClientMetadataError to its own error shape.
import { parseScope, SCOPE_READ } from '../../auth/scopes.ts';
import { isLoopbackRedirectHost, redirectUriProblem } from './redirect-uri.ts';

export type ClientProfile = 'dcr' | 'cimd' | 'api';
export type AuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

export type MetadataProblem = 'invalid_redirect_uri' | 'invalid_client_metadata' | 'unsupported_auth_method';

export class ClientMetadataError extends Error {
  constructor(
    readonly reason: MetadataProblem,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ClientMetadataError';
  }
}

export interface ClientMetadata {
  name: string;
  redirectUris: string[];
  grantTypes: string[];
  responseTypes: string[];
  method: AuthMethod;
  /** Space-separated known scopes; null when none was given (or none was known). */
  scope: string | null;
  clientUri?: string;
  logoUri?: string;
  applicationType?: 'native' | 'web';
}

export const MAX_CLIENT_NAME = 200;
export const MAX_REDIRECT_URIS = 20;
const MAX_URL = 2048;
const MAX_SCOPE = 4096;
const CODE_GRANTS = new Set(['authorization_code', 'refresh_token']);
const AUTH_METHODS: readonly AuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post'];
const SHARED_SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post', 'client_secret_jwt']);

const shown = (v: unknown): string => JSON.stringify(v)?.slice(0, 120) ?? String(v);
const bad = (field: string, message: string) => new ClientMetadataError('invalid_client_metadata', field, message);

function optionalString(body: Record<string, unknown>, field: string, max: number): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > max) throw bad(field, `${field} must be a string of at most ${max} characters`);
  return v;
}

function clientName(body: Record<string, unknown>, required: boolean): string {
  const name = (optionalString(body, 'client_name', MAX_CLIENT_NAME) ?? '').trim();
  if (required && name === '') throw bad('client_name', 'client_name is required');
  // Bidi overrides and other format characters would make the consent page lie about the name.
  if (/[\p{Cc}\p{Cf}]/u.test(name)) throw bad('client_name', `client_name must be at most ${MAX_CLIENT_NAME} characters without control characters`);
  return name;
}

/** client_uri and logo_uri: shown on the consent page, so https (http only on a loopback host). */
function pageUrl(body: Record<string, unknown>, field: string): string | undefined {
  const v = optionalString(body, field, MAX_URL);
  if (v === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = /[^\x21-\x7e]/.test(v) ? undefined : new URL(v);
  } catch {
    url = undefined;
  }
  const ok = url && !url.username && !url.password && (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackRedirectHost(url.hostname)));
  if (!ok) throw bad(field, `${field} must be an https URL`);
  return v;
}

function redirectUris(body: Record<string, unknown>, required: boolean, allowedSchemes: readonly string[]): string[] {
  const uris = body.redirect_uris ?? (required ? undefined : []);
  if (!Array.isArray(uris) || (required && uris.length === 0)) {
    throw new ClientMetadataError('invalid_redirect_uri', 'redirect_uris', 'redirect_uris is required (a non-empty array)');
  }
  if (uris.length > MAX_REDIRECT_URIS) throw new ClientMetadataError('invalid_redirect_uri', 'redirect_uris', `redirect_uris may list at most ${MAX_REDIRECT_URIS} URIs`);
  const out: string[] = [];
  uris.forEach((uri, i) => {
    const problem = redirectUriProblem(uri, { allowedSchemes });
    if (problem) throw new ClientMetadataError('invalid_redirect_uri', `redirect_uris[${i}]`, `redirect_uris[${i}] ${shown(uri)} ${problem}`);
    if (!out.includes(uri as string)) out.push(uri as string);
  });
  return out;
}

function stringList(body: Record<string, unknown>, field: string): string[] | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad(field, `${field} must be an array of strings`);
  return [...new Set(v as string[])];
}

function codeGrants(body: Record<string, unknown>, fallback: string[]): string[] {
  const grants = stringList(body, 'grant_types') ?? fallback;
  const unsupported = grants.find((g) => !CODE_GRANTS.has(g));
  if (unsupported) throw bad('grant_types', `grant_types ${shown(unsupported)} is not supported here (supported: authorization_code, refresh_token)`);
  if (!grants.includes('authorization_code')) throw bad('grant_types', 'grant_types must include authorization_code');
  return grants;
}

function authMethod(body: Record<string, unknown>, profile: ClientProfile): AuthMethod {
  const method = body.token_endpoint_auth_method;
  if (profile === 'api') return 'client_secret_basic';
  if (profile === 'cimd') {
    if (method === undefined || method === 'none') return 'none';
    const why = SHARED_SECRET_METHODS.has(method as string)
      ? 'documents cannot use a shared secret'
      : 'this server accepts only public clients ("none") through metadata documents';
    throw new ClientMetadataError('unsupported_auth_method', 'token_endpoint_auth_method', `token_endpoint_auth_method ${shown(method)} is not allowed: ${why}`);
  }
  if (method === undefined || method === null) return 'client_secret_basic'; // RFC 7591 §2 default
  if (!AUTH_METHODS.includes(method as AuthMethod)) throw bad('token_endpoint_auth_method', `token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}`);
  return method as AuthMethod;
}

function scopeOf(body: Record<string, unknown>, profile: ClientProfile): string | null {
  const text = optionalString(body, 'scope', MAX_SCOPE);
  if (text !== undefined && /[^\x20-\x7e]/.test(text)) throw bad('scope', 'scope must be a space-separated string of scope names');
  if (profile !== 'api') return text === undefined ? null : parseScope(text).known.join(' ') || null;
  const { known, unknown } = parseScope(text ?? SCOPE_READ);
  if (unknown.length) throw bad('scope', `unknown scope(s): ${unknown.join(', ')}`);
  if (known.length === 0) throw bad('scope', 'must name at least one scope');
  return known.join(' ');
}

/** Validates and normalizes client metadata; throws ClientMetadataError naming the field. */
export function validateClientMetadata(raw: unknown, profile: ClientProfile, rules: { allowedSchemes: readonly string[] }): ClientMetadata {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('', 'The client metadata must be a JSON object');
  const body = raw as Record<string, unknown>;
  const uris = redirectUris(body, profile !== 'api', rules.allowedSchemes);
  let grantTypes: string[];
  let responseTypes: string[];
  if (profile === 'api') {
    // An agent always has client_credentials; redirect URIs add the code flow for its owner.
    grantTypes = uris.length ? ['client_credentials', 'authorization_code', 'refresh_token'] : ['client_credentials'];
    responseTypes = uris.length ? ['code'] : [];
  } else {
    grantTypes = codeGrants(body, profile === 'cimd' ? ['authorization_code'] : ['authorization_code', 'refresh_token']);
    responseTypes = stringList(body, 'response_types') ?? ['code'];
    if (responseTypes.length === 0 || responseTypes.some((t) => t !== 'code')) throw bad('response_types', 'response_types must be ["code"]');
  }
  const applicationType = optionalString(body, 'application_type', 16);
  if (applicationType !== undefined && applicationType !== 'native' && applicationType !== 'web') throw bad('application_type', 'application_type must be native or web');
  const out: ClientMetadata = {
    name: clientName(body, profile !== 'dcr'),
    redirectUris: uris,
    grantTypes,
    responseTypes,
    method: authMethod(body, profile),
    scope: scopeOf(body, profile),
  };
  const clientUri = pageUrl(body, 'client_uri');
  const logoUri = pageUrl(body, 'logo_uri');
  if (clientUri !== undefined) out.clientUri = clientUri;
  if (logoUri !== undefined) out.logoUri = logoUri;
  if (applicationType !== undefined) out.applicationType = applicationType;
  return out;
}
