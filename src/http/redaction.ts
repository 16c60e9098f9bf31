import { redactUrl, redactUrlsIn } from '../config/redact.js';

/** What a secret in an exchange record or a report is replaced with. */
export const REDACTED_VALUE = '[redacted]';

const SECRET_HEADERS = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'proxy-authorization',
  'x-api-key',
]);
// Custom auth headers rarely follow a standard name (`x-auth-token`, `x-client-secret`).
const SECRET_HEADER_PART = /token|secret|password|api-?key/i;

// Compared with case, `_` and `-` removed, at the end of the key, so `accessToken`,
// `refresh_token`, `client_secret` and `newPassword` are caught along with the bare names.
const SECRET_KEY_ENDING = /(?:password|passwd|secret|token|apikey|authorization|cardnumber)$/;

// `Authorization: Bearer …` copied into an error message or an API log line.
const CREDENTIAL_IN_TEXT = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/g;
// `password=…`, `api_key=…` in a form body, a query string in a log line, a libpq string. The
// bounded name keeps this linear on long runs of letters (a base64 body).
const PARAMETER_IN_TEXT = /\b([A-Za-z][\w.-]{0,63})=('(?:[^'\\]|\\.)*'|[^\s&#;'"]*)/g;

/** True for a header whose value is a credential (`authorization`, `x-auth-token`, …). */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADERS.has(lower) || SECRET_HEADER_PART.test(lower);
}

/**
 * True for a JSON key or query parameter whose value is a secret: `password`, `passwd`,
 * `secret`, `token`, `api_key`, `apikey`, `authorization`, `card_number`, in any case, and
 * names ending in one of them (`access_token`, `clientSecret`).
 */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_ENDING.test(key.toLowerCase().replace(/[-_]/g, ''));
}

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
    redacted[lower] = isSecretHeader(lower) ? REDACTED_VALUE : value;
  }
  return redacted;
}

/**
 * A deep copy of a JSON value with the values of secret keys replaced, and every string passed
 * through {@link redactSecretsInText} (a database URL in a response keeps no password).
 */
export function redactJson(value: unknown): unknown {
  if (typeof value === 'string') return redactSecretsInText(value);
  if (Array.isArray(value)) return value.map((item: unknown) => redactJson(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        key,
        isSecretKey(key) ? REDACTED_VALUE : redactJson(child),
      ]),
    );
  }
  return value;
}

/**
 * Free text (an error message, a log line, a non-JSON body) with URL passwords, the values of
 * secret `name=value` parameters and `Bearer`/`Basic` credentials replaced.
 */
export function redactSecretsInText(text: string): string {
  return redactUrlsIn(text)
    .replace(PARAMETER_IN_TEXT, (match, name: string, value: string) =>
      value !== '' && isSecretKey(decodeName(name)) ? `${name}=${REDACTED_VALUE}` : match,
    )
    .replace(CREDENTIAL_IN_TEXT, `$1 ${REDACTED_VALUE}`);
}

/**
 * A URL as recorded: its password masked (see `redactUrl`) and the values of secret query
 * parameters (`?access_token=…`, `&api_key=…`) replaced.
 */
export function redactRecordedUrl(url: string): string {
  const masked = redactUrl(url);
  const queryStart = masked.indexOf('?');
  if (queryStart === -1) return masked;
  const query = masked
    .slice(queryStart)
    .replace(
      /([?&])([^=&#]+)=([^&#]*)/g,
      (match, separator: string, name: string, value: string) =>
        value !== '' && isSecretKey(decodeName(name))
          ? `${separator}${name}=${REDACTED_VALUE}`
          : match,
    );
  return masked.slice(0, queryStart) + query;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
