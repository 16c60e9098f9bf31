import { REDACTED, isSecretKey } from './secret-rules.js';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
// `password=…` in a query string (`?password=`) or a libpq key/value string (`password='x y'`).
const PASSWORD_PARAMETER = /(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&#;]*)/gi;
// URLs inside free text; stops at whitespace and quotes, which a printed URL never contains.
// The scheme is capped in length: unbounded, a long run of letters made matching quadratic.
const URL_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/[^\s'"`<>]+/g;

/** `password=x` → `password=***`; an empty value stays empty. */
export function maskPasswordParameters(text: string): string {
  return text.replace(PASSWORD_PARAMETER, (_match, name: string, value: string) =>
    value === '' ? name : `${name}${REDACTED}`,
  );
}

/**
 * The URL with its password and the values of its secret query parameters (`password`,
 * `access_token`, `api_key`, … see `isSecretKey`) replaced by `***`; user, host, port,
 * database and the other parameters are kept as written. A libpq key/value string
 * (`host=db password='x y'`) has its password masked too. Strings that are not valid URLs (a
 * password with an unencoded `/`, `#` or `?` breaks parsing) are still masked: everything
 * between the first `:` after `scheme://` and the last `@` is hidden, which may hide more than
 * the password but never less.
 *
 * @example
 * ```ts
 * redactUrl('postgresql://qa:s3cret@db:5432/app'); // 'postgresql://qa:***@db:5432/app'
 * redactUrl('https://api.test/x?page=2&access_token=abc'); // 'https://api.test/x?page=2&access_token=***'
 * ```
 */
export function redactUrl(url: string): string {
  return maskPasswordParameters(maskSecretQuery(maskUserinfo(url)));
}

/** `text` with every URL in it passed through {@link redactUrl}. */
export function redactUrlsIn(text: string): string {
  // A value that is one URL is masked whole: a quote in its password would end URL_IN_TEXT.
  if (SCHEME.test(text) && !/\s/.test(text)) return redactUrl(text);
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url));
}

function maskSecretQuery(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const query = url
    .slice(queryStart)
    .replace(
      /([?&])([^=&#]+)=([^&#]*)/g,
      (match, separator: string, name: string, value: string) =>
        value !== '' && isSecretKey(decodeName(name)) ? `${separator}${name}=${REDACTED}` : match,
    );
  return url.slice(0, queryStart) + query;
}

/** A parameter name as written in a URL or form body, decoded when it can be. */
export function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
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
