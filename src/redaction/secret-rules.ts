/**
 * What a secret is replaced with, everywhere venomqa prints or records one: URLs, headers,
 * JSON values, log lines, error messages, the printed config.
 */
export const REDACTED = '***';

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

// An environment variable is one value configured whole, so any mention counts (`PGPASSWORD`,
// `API_TOKEN`, `STRIPE_KEY`): masking a harmless `KEYCLOAK_URL` costs less than leaking.
const SECRET_ENV_NAME = /pass|secret|token|key/i;

/** True for a header whose value is a credential (`authorization`, `x-auth-token`, …). */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADERS.has(lower) || SECRET_HEADER_PART.test(lower);
}

/**
 * True for a JSON key, query or `name=value` parameter whose value is a secret: `password`,
 * `passwd`, `secret`, `token`, `api_key`, `apikey`, `authorization`, `card_number`, in any
 * case, and names ending in one of them (`access_token`, `clientSecret`).
 */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_ENDING.test(key.toLowerCase().replace(/[-_]/g, ''));
}

/** True for an environment variable (`api.env`) whose whole value is a secret. */
export function isSecretEnvName(name: string): boolean {
  return SECRET_ENV_NAME.test(name);
}
