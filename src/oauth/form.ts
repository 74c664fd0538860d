// Form bodies of the token and revocation endpoints (application/x-www-form-urlencoded), with the
// RFC 6749 §3.1 rules: a parameter may not repeat, and an empty value counts as absent.
import type { Context } from 'hono';
import { OAuthError } from './errors.ts';

export type Params = ReadonlyMap<string, string>;

/** Turns URLSearchParams into a map; repeated parameters are reported, empty ones dropped. */
export function paramsOf(search: URLSearchParams): { params: Params; repeated: string[] } {
  const params = new Map<string, string>();
  const repeated: string[] = [];
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    if (values.length > 1) repeated.push(key);
    if (values[0] !== '') params.set(key, values[0]!);
  }
  return { params, repeated };
}

export async function readForm(c: Context): Promise<Params> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', 'The request body must be application/x-www-form-urlencoded');
  }
  const { params, repeated } = paramsOf(new URLSearchParams(await c.req.text()));
  if (repeated.length) throw new OAuthError('invalid_request', `Parameter repeated: ${repeated.join(', ')}`);
  return params;
}
