// The one error hierarchy of the service layer and the one table that maps its codes to HTTP.
// OAuth endpoints have their own RFC-shaped errors in src/oauth/.

export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  INVALID_JSON: 400,
  INVALID_INPUT: 400,
  CANNOT_DELETE_SELF: 400,
  SYSTEM_ROLE: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  EXPIRED_KEY: 401,
  LEGACY_API_KEY_UNSUPPORTED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  ORIGIN_NOT_ALLOWED: 403,
  HOST_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  IN_USE: 409,
  IP_NOT_AVAILABLE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMIT_EXCEEDED: 429,
  LOGIN_RATE_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
  REQUEST_TIMEOUT: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];
  /** Extra response headers, e.g. Retry-After. */
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: ErrorDetail[]; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.headers = options.headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (entity: string, id?: string): AppError =>
  new AppError('NOT_FOUND', id ? `${entity} not found: ${id}` : `${entity} not found`);

export const forbidden = (message = 'Forbidden'): AppError => new AppError('FORBIDDEN', message);

export const validationError = (field: string, message: string): AppError =>
  new AppError('VALIDATION_ERROR', `${field}: ${message}`, { details: [{ field, message }] });

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Turns zod issues into the VALIDATION_ERROR envelope; unknown keys are named, never ignored. */
export function fromZodIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string; keys?: string[] }>,
): AppError {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) {
        details.push({ field: base ? `${base}.${key}` : key, message: 'unknown field' });
      }
    } else {
      details.push({ field: base || '(root)', message: issue.message });
    }
  }
  const message = details.map((d) => `${d.field}: ${d.message}`).join('; ');
  return new AppError('VALIDATION_ERROR', message || 'invalid input', { details });
}

/**
 * SQLite constraint failures become 409/400 instead of leaking as 500s.
 * Returns undefined for anything that is not a constraint error.
 */
export function fromSqliteError(err: unknown): AppError | undefined {
  const code = (err as { code?: unknown })?.code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED') {
    // Another writer held the database past busy_timeout: temporary, so 503 + Retry-After.
    return new AppError('SERVICE_UNAVAILABLE', 'The database is busy; retry shortly', { cause: err, headers: { 'Retry-After': '1' } });
  }
  if (typeof code !== 'string' || !code.startsWith('SQLITE_CONSTRAINT')) return undefined;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new AppError('ALREADY_EXISTS', 'A record with the same unique value already exists', { cause: err });
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new AppError('CONFLICT', 'The record is referenced by, or refers to, a record that does not allow this change', {
      cause: err,
    });
  }
  return new AppError('VALIDATION_ERROR', 'The change violates a data constraint', { cause: err });
}

/** Normalizes anything thrown by a service into an AppError; unknown errors become INTERNAL_ERROR. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const issues = (err as { issues?: unknown })?.issues;
  if ((err as { name?: string })?.name === 'ZodError' && Array.isArray(issues)) return fromZodIssues(issues);
  return fromSqliteError(err) ?? new AppError('INTERNAL_ERROR', 'Internal Server Error', { cause: err });
}
