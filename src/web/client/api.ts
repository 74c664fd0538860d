// The one API client of the web UI. Every request is same-origin with the session cookie and
// carries X-Requested-With: XMLHttpRequest (the server's CSRF rule for cookie-authenticated
// writes). An error answer becomes an ApiError with the envelope's code, message and field
// details; a 401 sends the person to /login and back; a 429 says when to retry.

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    /** Seconds to wait (429 Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** "CODE: message" as shown to people, with the retry time of a 429. */
  get text(): string {
    const retry = this.retryAfter !== undefined ? ` Try again in ${this.retryAfter} s.` : '';
    return `${this.code}: ${this.message}${retry}`;
  }
}

export interface ApiResult<T> {
  data: T;
  status: number;
  /** X-Total-Count of list answers. */
  total?: number;
}

export type Query = Record<string, string | number | boolean | readonly (string | number)[] | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Do not redirect to /login on 401 (the sign-in and setup pages handle it themselves). */
  noLoginRedirect?: boolean;
  signal?: AbortSignal;
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => undefined;

/** The router installs what a 401 does (go to /login?next=…). */
export function setUnauthorizedHandler(fn: UnauthorizedHandler): void {
  onUnauthorized = fn;
}

export function queryString(query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) q.append(k, String(x));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: { error?: unknown; code?: unknown; details?: unknown } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // Not the JSON envelope (a proxy's page, an empty body): keep the status.
  }
  const retry = res.headers.get('retry-after');
  return new ApiError(
    res.status,
    typeof body.code === 'string' ? body.code : `HTTP_${res.status}`,
    typeof body.error === 'string' ? body.error : res.statusText || 'Request failed',
    Array.isArray(body.details) ? (body.details as FieldError[]) : [],
    res.status === 429 && retry ? Math.max(1, Number(retry) || 1) : undefined,
  );
}

export async function request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { 'X-Requested-With': 'XMLHttpRequest', Accept: 'application/json' };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path + queryString(opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached');
  }
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && !opts.noLoginRedirect) onUnauthorized();
    throw err;
  }
  const total = res.headers.get('x-total-count');
  const type = res.headers.get('content-type') ?? '';
  const data = (res.status === 204 || !type.includes('json') ? undefined : await res.json()) as T;
  return { data, status: res.status, total: total === null ? undefined : Number(total) };
}

export const api = {
  get: <T = unknown>(path: string, query?: Query, opts: RequestOptions = {}) => request<T>('GET', path, { ...opts, query }),
  post: <T = unknown>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('POST', path, { ...opts, body: body ?? {} }),
  put: <T = unknown>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('PUT', path, { ...opts, body: body ?? {} }),
  patch: <T = unknown>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('PATCH', path, { ...opts, body: body ?? {} }),
  delete: <T = unknown>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('DELETE', path, { ...opts, body }),
};

/** A message for anything thrown: the API's "CODE: message", else the error's text. */
export const errorText = (err: unknown): string => (err instanceof ApiError ? err.text : err instanceof Error ? err.message : String(err));

/** Field errors by field name (the first message of each), for forms. */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError) for (const d of err.details) out[d.field] ??= d.message;
  return out;
}

/**
 * A loader's guard against answers that arrive out of order: every call takes a ticket, and only
 * the newest ticket's answer is applied, so a slow unfiltered first page cannot overwrite the
 * filtered one asked for after it. `const fresh = this.ticket(); …await…; if (!fresh()) return;`
 */
export function newestOnly(): () => () => boolean {
  let newest = 0;
  return () => {
    const mine = ++newest;
    return () => mine === newest;
  };
}
