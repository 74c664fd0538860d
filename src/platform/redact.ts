// The one redactor: which field names hold secrets, and a walk that removes (audit entries, event
// payloads) or masks (log lines) their values at any depth. Booleans about a secret (has_secret,
// secret_rotated) are facts, not secrets, and stay.

/** Field names whose values are secrets (passwords, tokens, keys, communities, hashes …). */
export const SECRET_FIELD = /pass(word)?|secret|token|authorization|cookie|api_?key|key_hash|^key$|community|private|credential|_hash$|encryption/i;

export const isSecretField = (name: string): boolean => SECRET_FIELD.test(name);

export interface RedactOptions {
  /** `drop` leaves secret fields out (stored data); `mask` writes "[redacted]" (logs, so the field is seen to exist). */
  mode: 'drop' | 'mask';
  /** Deeper values are kept as they are (default 8). */
  maxDepth?: number;
}

export const REDACTED = '[redacted]';

export function redact(value: unknown, opts: RedactOptions, depth = 0): unknown {
  if (depth > (opts.maxDepth ?? 8) || value === null || typeof value !== 'object') return value;
  // A log line shows where an error came from; a stored copy never carries a stack.
  if (value instanceof Error) return opts.mode === 'mask' ? { name: value.name, message: value.message, stack: value.stack } : { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, opts, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (isSecretField(k) && typeof v !== 'boolean') {
      // Stored copies drop the field whatever it holds; a log shows an absent secret as absent.
      if (opts.mode === 'mask') out[k] = v === undefined || v === null ? v : REDACTED;
      continue;
    }
    out[k] = redact(v, opts, depth + 1);
  }
  return out;
}

const DROP: RedactOptions = { mode: 'drop' };

/** Stored copies (audit changes, event payloads): secret fields are left out. */
export const withoutSecrets = (value: unknown): unknown => redact(value, DROP);
