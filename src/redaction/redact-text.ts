import { decodeName, maskPasswordParameters, redactUrlsIn } from './redact-url.js';
import { REDACTED, isSecretKey } from './secret-rules.js';

// `Authorization: Bearer …` copied into an error message or an API log line.
const CREDENTIAL_IN_TEXT = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/g;
// `api_key=…`, `token=…` in a form body, a query string in a log line, a libpq string. The
// bounded name keeps this linear on long runs of letters (a base64 body).
const PARAMETER_IN_TEXT = /\b([A-Za-z][\w.-]{0,63})=('(?:[^'\\]|\\.)*'|[^\s&#;'"]*)/g;

/**
 * Free text (an error message, a log line, a command line, a non-JSON body) with every secret
 * replaced by `***`: the `secrets` given, in the forms they take in a message (as they are,
 * percent-encoded as in a URL's userinfo, percent-decoded); the password and secret query
 * parameters of every URL (see `redactUrl`); `password = …` and other secret `name=value`
 * parameters; `Bearer` and `Basic` credentials. Empty secrets are ignored. Idempotent.
 *
 * @example
 * ```ts
 * redactText('auth failed for p@ss (postgresql://qa:p%40ss@db/app)', ['p@ss']);
 * // 'auth failed for *** (postgresql://qa:***@db/app)'
 * ```
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    for (const form of encodedForms(secret)) if (form !== '') forms.add(form);
  }
  // Longest first, so a secret that contains another is replaced whole.
  let result = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    result = result.replaceAll(form, REDACTED);
  }
  return maskPasswordParameters(redactUrlsIn(result))
    .replace(PARAMETER_IN_TEXT, (match, name: string, value: string) =>
      value !== '' && isSecretKey(decodeName(name)) ? `${name}=${REDACTED}` : match,
    )
    .replace(CREDENTIAL_IN_TEXT, `$1 ${REDACTED}`);
}

function encodedForms(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret)];
  try {
    // What a URL serialiser writes in userinfo, which escapes a different set than
    // encodeURIComponent does.
    const url = new URL('http://host');
    url.password = secret;
    forms.push(url.password);
  } catch {
    // Not representable in a URL: the other forms still apply.
  }
  try {
    forms.push(decodeURIComponent(secret));
  } catch {
    // Not percent-encoded.
  }
  return forms;
}
