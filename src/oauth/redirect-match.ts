// Redirect URI matching at the authorization endpoint: exact string comparison with registered
// URIs, except that a loopback redirect (http://127.0.0.1, http://[::1], http://localhost) may use
// any port (RFC 8252 §7.3) — desktop clients listen on ephemeral ports. Scheme, host, path and
// query must still match exactly; the port is never relaxed for anything else.

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Splits `http://<loopback host>[:port]<rest>` into host and rest; undefined if not such a URI. */
function loopbackParts(uri: string): { host: string; rest: string } | undefined {
  const m = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(?::(\d{1,5}))?([/?][^#]*)?$/.exec(uri);
  if (!m) return undefined;
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535)) return undefined;
  return { host: m[1]!, rest: m[3] ?? '' };
}

export function isLoopbackRedirect(uri: string): boolean {
  return loopbackParts(uri) !== undefined;
}

export function redirectMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  const r = loopbackParts(registered);
  const q = loopbackParts(requested);
  if (!r || !q || !LOOPBACK_HOSTS.has(r.host)) return false;
  // "/cb" and "" + "/cb" are the same path only when both spell it; no normalisation beyond the port.
  return r.host === q.host && (r.rest || '/') === (q.rest || '/');
}

/** The registered URI that `requested` matches, if any. */
export function findRedirect(registered: readonly string[], requested: string): string | undefined {
  return registered.find((r) => redirectMatches(r, requested));
}
