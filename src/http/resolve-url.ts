/** Query parameters; `undefined` values are left out, so optional filters need no `if`. */
export type QueryParams = Readonly<Record<string, string | number | boolean | undefined>>;

const ABSOLUTE_URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Checks that `baseUrl` is an absolute http(s) URL without query or fragment, which is what
 * {@link resolveUrl} can append paths to. Throws `TypeError` otherwise (a programming mistake:
 * config already validates `base_url`).
 */
export function checkBaseUrl(baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`HttpClient baseUrl must be an absolute http(s) URL, got '${baseUrl}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`HttpClient baseUrl must use http or https, got '${url.protocol}'`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError('HttpClient baseUrl must not have a query string or fragment');
  }
}

/**
 * The URL a request goes to. An absolute `path` is used as it is; otherwise it is appended to
 * `baseUrl` with exactly one `/` between them, so the base's own path is kept
 * (`http://h/api` + `/users` → `http://h/api/users`, unlike `new URL('/users', base)`).
 *
 * @example
 * ```ts
 * resolveUrl('http://localhost:8000/v1/', '/orders', { page: 2, q: undefined });
 * // 'http://localhost:8000/v1/orders?page=2'
 * ```
 */
export function resolveUrl(baseUrl: string, path: string, query: QueryParams = {}): string {
  const url = new URL(ABSOLUTE_URL.test(path) ? path : join(baseUrl, path));
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.append(name, String(value));
  }
  return url.href;
}

function join(baseUrl: string, path: string): string {
  if (path === '' || path.startsWith('?') || path.startsWith('#')) return baseUrl + path;
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/**
 * `url` without its `user:password@` part, and the `Basic` authorization header it stood for:
 * fetch refuses URLs with credentials, while curl and browsers send them this way.
 */
export function takeCredentials(url: string): { url: string; authorization?: string } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { url };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return {
    url: parsed.href,
    authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`,
  };
}
