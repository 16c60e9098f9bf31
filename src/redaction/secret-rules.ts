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

// Words that make a column secret wherever they stand in its name (`password_hash`,
// `secret_code`, `reset_token_expires`): a hash of a password can be cracked offline and a
// token's hash may still open a session. Masking a harmless `token_count` costs less than
// leaking. Pairs are names split in two (`api_key`, `card_number`).
const SECRET_COLUMN_WORDS = new Set([
  'password',
  'passwd',
  'secret',
  'secrets',
  'token',
  'tokens',
  'cvv',
  'cvc',
]);
const SECRET_COLUMN_PAIRS = new Set(['apikey', 'cardnumber', 'privatekey', 'accesskey']);

/**
 * True for a database column whose values are secrets: a name {@link isSecretKey} knows, or
 * one with a secret word in it (`password_hash`, `token_hash`, `secret_code`, `api_key_enc`).
 */
export function isSecretColumn(name: string): boolean {
  if (isSecretKey(name)) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  return words.some(
    (word, index) =>
      SECRET_COLUMN_WORDS.has(word) || SECRET_COLUMN_PAIRS.has(`${word}${words[index + 1] ?? ''}`),
  );
}

// 13 to 19 digits, optionally grouped by spaces or dashes: the shapes of a payment card number.
const CARD_NUMBER = /^\d(?:[ -]?\d){12,18}$/;

/**
 * True for text that is a payment card number: 13 to 19 digits (spaces and dashes allowed
 * between them) that pass the Luhn check, whatever the column or key is called.
 */
export function isCardNumber(text: string): boolean {
  if (!CARD_NUMBER.test(text)) return false;
  const digits = text.replace(/\D/g, '');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** True for an environment variable (`api.env`) whose whole value is a secret. */
export function isSecretEnvName(name: string): boolean {
  return SECRET_ENV_NAME.test(name);
}
