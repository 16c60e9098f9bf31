import { deepFreeze } from './deep-freeze.js';
import type { ResolvedConfig } from './schema.js';

/** What a hidden secret is replaced with. */
export const REDACTED = '***';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
// `password=…` in a query string (`?password=`) or a libpq key/value string (`password='x y'`).
const PASSWORD_PARAMETER = /(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&#;]*)/gi;
// URLs inside free text; stops at whitespace and quotes, which a printed URL never contains.
// The scheme is capped in length: unbounded, a long run of letters made matching quadratic.
const URL_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/[^\s'"`<>]+/g;
/** `api.env` names whose values are secrets as a whole (`PGPASSWORD`, `API_TOKEN`, …). */
export const SECRET_ENV_NAME = /pass|secret|token|key/i;

/**
 * The URL with its password replaced by `***`; user, host, port, database and query are kept
 * as written. A `password=` query parameter is masked too. Strings that are not valid URLs
 * (a password with an unencoded `/`, `#` or `?` breaks parsing) are still masked: everything
 * between the first `:` after `scheme://` and the last `@` is hidden, which may hide more
 * than the password but never less.
 *
 * @example
 * ```ts
 * redactUrl('postgresql://qa:s3cret@db:5432/app'); // 'postgresql://qa:***@db:5432/app'
 * redactUrl('postgresql://qa:p#ss@db/app'); // 'postgresql://qa:***@db/app'
 * ```
 */
export function redactUrl(url: string): string {
  return maskUserinfo(url).replace(PASSWORD_PARAMETER, (_match, name: string, value: string) =>
    value === '' ? `${name}` : `${name}${REDACTED}`,
  );
}

function maskUserinfo(url: string): string {
  const scheme = SCHEME.exec(url)?.[0];
  if (scheme === undefined) {
    // `user:pass@host/db` without a scheme: everything before the last `@` is userinfo.
    const at = url.lastIndexOf('@');
    const colon = url.indexOf(':');
    if (at > 0 && colon > 0 && colon < at && !/[\s/]/.test(url.slice(0, colon))) {
      return `${url.slice(0, colon + 1)}${REDACTED}${url.slice(at)}`;
    }
    return url;
  }
  const rest = url.slice(scheme.length);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  let userinfoEnd: number;
  if (parsed !== undefined) {
    // A valid URL: the authority ends at the first `/`, `?`, `#` (or `\`, which http treats
    // as `/`), and its userinfo ends at the last `@` inside it.
    if (parsed.password === '') return url;
    const authorityEnd = rest.search(/[/?#\\]/);
    const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
    userinfoEnd = authority.lastIndexOf('@');
  } else {
    userinfoEnd = rest.lastIndexOf('@');
  }
  const colon = rest.indexOf(':');
  if (userinfoEnd === -1 || colon === -1 || colon > userinfoEnd) return url;
  return `${scheme}${rest.slice(0, colon + 1)}${REDACTED}${rest.slice(userinfoEnd)}`;
}

/**
 * `text` with every secret replaced by `***`, in the forms it can take in a message: as is,
 * percent-encoded (as in a URL's userinfo) and percent-decoded. The password of any URL in the
 * text is masked as well (see {@link redactUrl}), so a message built from a URL is safe even
 * when the caller did not know the password. Empty secrets are ignored.
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
  result = result.replace(URL_IN_TEXT, (url) => maskUserinfo(url));
  return result.replace(PASSWORD_PARAMETER, (_match, name: string, value: string) =>
    value === '' ? `${name}` : `${name}${REDACTED}`,
  );
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

/**
 * A copy of `config` safe to print: every URL without its password (`db_url`, `base_url`, URLs
 * inside `api.env` or `api.command`), `server.password` as `***`, and every `api.env` value
 * whose name looks secret (`pass`, `secret`, `token`, `key`) masked. The known passwords
 * (`server.password`, the one in `db_url`) are also removed from `api.env` values and
 * `api.command`, where an API's own settings tend to repeat them.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(redactConfig(config), null, 2));
 * ```
 */
export function redactConfig(config: ResolvedConfig): ResolvedConfig {
  const secrets: string[] = [];
  if (config.server.password !== null) secrets.push(config.server.password);
  const dbPassword = config.db_url === null ? '' : passwordOf(config.db_url);
  if (dbPassword !== '') secrets.push(dbPassword);

  // Only URLs are rewritten elsewhere: replacing a short password everywhere would also
  // mangle image names and database names that happen to contain it.
  const copy = mapStrings(config, redactUrlsIn) as {
    server: { password: string | null };
    api: { env: Record<string, string>; command: string | string[] | null };
  };
  if (copy.server.password !== null) copy.server.password = REDACTED;
  for (const [name, value] of Object.entries(copy.api.env)) {
    copy.api.env[name] = SECRET_ENV_NAME.test(name) ? REDACTED : redactText(value, secrets);
  }
  copy.api.command = mapStrings(copy.api.command, (text) => redactText(text, secrets)) as
    string | string[] | null;
  return deepFreeze(copy as unknown as ResolvedConfig);
}

/** `text` with the password of every URL in it masked (see {@link redactUrl}). */
export function redactUrlsIn(text: string): string {
  // A value that is one URL is masked whole: a quote in its password would end URL_IN_TEXT.
  if (SCHEME.test(text) && !/\s/.test(text)) return redactUrl(text);
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url));
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item: unknown) => mapStrings(item, map));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, mapStrings(child, map)]),
    );
  }
  return value;
}
