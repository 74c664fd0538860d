// Reading a raw input before it is parsed: a verb names the record in its audit entry (which is
// written even when the input turns out to be invalid) and some permission rules depend on the
// target ("your own account needs none") before the whole input is validated.

/** `raw[key]` when it is a string, else undefined. */
export function rawString(raw: unknown, key = 'id'): string | undefined {
  const v = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}
