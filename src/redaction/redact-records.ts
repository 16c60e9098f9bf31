import { redactText } from './redact-text.js';
import { REDACTED, isSecretHeader, isSecretKey } from './secret-rules.js';

/** Header names lower-cased, secret values replaced. */
export function redactHeaders(
  headers: Headers | Readonly<Record<string, string>>,
): Record<string, string> {
  const entries: [string, string][] = [];
  if (headers instanceof Headers) headers.forEach((value, name) => entries.push([name, value]));
  else entries.push(...Object.entries(headers));
  const redacted: Record<string, string> = {};
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    redacted[lower] = isSecretHeader(lower) ? REDACTED : value;
  }
  return redacted;
}

/**
 * A deep copy of a JSON value with the values of secret keys replaced, and every string passed
 * through {@link redactText} (a database URL in a response keeps no password).
 */
export function redactJson(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item: unknown) => redactJson(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        key,
        isSecretKey(key) ? REDACTED : redactJson(child),
      ]),
    );
  }
  return value;
}
