// The three strings every client compares byte for byte — issuer, canonical resource and the
// protected-resource-metadata URL — plus the endpoint URLs, computed once from one issuer and
// then only read. Nothing else in the server builds these URLs.

export interface OAuthUrls {
  /** Origin only, no trailing slash: AS metadata `issuer`, PRM `authorization_servers[0]`, `iss`. */
  issuer: string;
  /** `<issuer>/mcp`: PRM `resource`, the RFC 8707 value, JWT `aud`. */
  resource: string;
  /** `<issuer>/.well-known/oauth-protected-resource/mcp`: every WWW-Authenticate. */
  resourceMetadata: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  registrationEndpoint: string;
  revocationEndpoint: string;
  jwksUri: string;
}

export const MCP_PATH = '/mcp';
export const PRM_PATH = '/.well-known/oauth-protected-resource';
export const AS_METADATA_PATH = '/.well-known/oauth-authorization-server';
export const OAUTH_PREFIX = '/mcp-oauth';

export function oauthUrls(issuer: string): OAuthUrls {
  return Object.freeze({
    issuer,
    resource: `${issuer}${MCP_PATH}`,
    resourceMetadata: `${issuer}${PRM_PATH}${MCP_PATH}`,
    authorizationEndpoint: `${issuer}${OAUTH_PREFIX}/authorize`,
    tokenEndpoint: `${issuer}${OAUTH_PREFIX}/token`,
    registrationEndpoint: `${issuer}${OAUTH_PREFIX}/register`,
    revocationEndpoint: `${issuer}${OAUTH_PREFIX}/revoke`,
    jwksUri: `${issuer}${OAUTH_PREFIX}/jwks`,
  });
}

/** MCP_OAUTH_ISSUER_URL, or http://localhost:<port> once the port is known. */
export function issuerFor(configured: string, port: number): string {
  return configured || `http://localhost:${port}`;
}

/**
 * The URLs of a server whose port may only be known once it listens (port 0): computed on first
 * use — always after listening, since only requests need them — and fixed from then on.
 */
export function lazyOAuthUrls(configured: string, listening: { port: number }): () => OAuthUrls {
  let urls: OAuthUrls | undefined;
  return () => (urls ??= oauthUrls(issuerFor(configured, listening.port)));
}

/**
 * True when `value` names the canonical resource. Scheme and host compare case-insensitively
 * and a default port is ignored (RFC 8707 clients may send either); path and query must match
 * exactly, and a fragment is never allowed.
 */
export function isCanonicalResource(value: string, resource: string): boolean {
  if (value === resource) return true;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.hash || value.includes('#') || url.username || url.password) return false;
  return `${url.origin}${url.pathname}${url.search}` === resource;
}
