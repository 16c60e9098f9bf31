import { redactText } from './redact-text.js';
import {
  REDACTED,
  isCardNumber,
  isSecretColumn,
  isSecretHeader,
  isSecretKey,
} from './secret-rules.js';

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

/**
 * A database row (column → value) with the values of secret columns (see `isSecretColumn`)
 * and card numbers replaced, and every other value passed through {@link redactJson} (a JSON
 * column's secret keys, a URL's password in text).
 *
 * @example
 * ```ts
 * redactColumns({ id: 1, password_hash: 'scrypt$…', card: '4242 4242 4242 4242' });
 * // { id: 1, password_hash: '***', card: '***' }
 * ```
 */
export function redactColumns(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [column, redactColumnValue(column, value)]),
  );
}

/** One column's value as {@link redactColumns} writes it. */
export function redactColumnValue(column: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (isSecretColumn(column)) return REDACTED;
  if (typeof value === 'string' && isCardNumber(value)) return REDACTED;
  return redactJson(value);
}
