import { performance } from 'node:perf_hooks';

import type { HttpExchange, HttpRequestRecord } from './exchange.js';
import { HttpRequestError, type HttpFailureKind } from './http-errors.js';
import { HttpResponse } from './http-response.js';
import { describeNetworkFailure } from './fetch-failure.js';
import { isJsonContentType, recordedBody } from './recorded-body.js';
import { redactHeaders, redactUrl, redactText } from '../redaction/index.js';
import { checkBaseUrl, resolveUrl, takeCredentials, type QueryParams } from './resolve-url.js';

/** The default time a request may take, headers and body, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;

// setTimeout fires at once for delays above this.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface HttpClientOptions {
  /** Where relative paths go: `http://localhost:8000` or with a prefix, `http://h/api/v1`. */
  baseUrl: string;
  /** Per request, headers and body included; default 30 000. */
  timeoutMs?: number;
  /** Sent with every request (per-request headers win). */
  headers?: Readonly<Record<string, string>>;
  /** Aborts requests in flight and refuses new ones once aborted (fail_fast). */
  signal?: AbortSignal;
}

export interface RequestOptions {
  /** Sent as JSON, with `content-type: application/json` unless a content type is given. */
  json?: unknown;
  /** Sent as it is; give the content type in `headers`. Not together with `json`. */
  body?: string;
  headers?: Readonly<Record<string, string>>;
  query?: QueryParams;
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
}

export interface ForkOptions {
  baseUrl: string;
  /** Defaults to the parent's signal. */
  signal?: AbortSignal;
}

/**
 * The HTTP client a journey's steps use: a base URL, default headers, a timeout, and a history
 * of every exchange for reports. Non-2xx responses are returned, not thrown; only a request
 * that gets no response at all (timeout, refused connection, DNS failure, abort) throws
 * `HttpRequestError`.
 *
 * Records in {@link history} are redacted (credential headers, URL passwords, secret JSON keys
 * and query parameters become `***`) and bodies are cut at 64 Ki characters; what is
 * sent and what {@link request} returns are untouched.
 *
 * @example
 * ```ts
 * const client = new HttpClient({ baseUrl: 'http://localhost:8000' });
 * const login = await client.post('/login', { json: { user: 'qa', password: 'pw' } });
 * client.setBearerToken(login.json<{ token: string }>().token);
 * const orders = await client.get('/orders', { query: { page: 1 } });
 * const exchanges = client.takeHistory(); // both requests, then nothing until the next one
 * ```
 */
export class HttpClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly #headers: Headers;
  readonly #signal: AbortSignal | undefined;
  readonly #history: HttpExchange[] = [];
  #taken = 0;

  constructor(options: HttpClientOptions) {
    checkBaseUrl(options.baseUrl);
    this.baseUrl = options.baseUrl;
    this.timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.#headers = new Headers(options.headers);
    this.#signal = options.signal;
  }

  /** The default headers, names lower-cased (a copy). */
  get headers(): Record<string, string> {
    return Object.fromEntries(this.#headers);
  }

  /** Every exchange so far, oldest first (a copy). */
  get history(): readonly HttpExchange[] {
    return [...this.#history];
  }

  /** Sets a header sent with every later request; names are case-insensitive. */
  setHeader(name: string, value: string): void {
    this.#headers.set(name, value);
  }

  removeHeader(name: string): void {
    this.#headers.delete(name);
  }

  /** `authorization: Bearer <token>` on every later request. */
  setBearerToken(token: string): void {
    this.setHeader('authorization', `Bearer ${token}`);
  }

  /**
   * The exchanges completed since the previous call (the runner calls it after each step to
   * attach that step's requests). Exchanges are appended when they complete, so concurrent
   * requests appear in the order they finished.
   */
  takeHistory(): HttpExchange[] {
    const taken = this.#history.slice(this.#taken);
    this.#taken = this.#history.length;
    return taken;
  }

  /**
   * A client for another base URL with a copy of this one's headers and timeout and an empty
   * history: each path of a branch gets one, so a token set before the checkpoint carries
   * into every path while their histories stay apart.
   */
  fork(options: ForkOptions): HttpClient {
    return new HttpClient({
      baseUrl: options.baseUrl,
      timeoutMs: this.timeoutMs,
      headers: this.headers,
      signal: options.signal ?? this.#signal,
    });
  }

  get(path: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.request('GET', path, options);
  }

  post(path: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.request('POST', path, options);
  }

  put(path: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.request('PUT', path, options);
  }

  patch(path: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.request('PATCH', path, options);
  }

  delete(path: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.request('DELETE', path, options);
  }

  /**
   * Sends one request and reads the whole response body. `path` is absolute or relative to
   * the base URL; credentials in the URL (`http://user:pw@host`) are sent as a `Basic`
   * authorization header unless one is set. Resolves for every status; rejects with
   * `HttpRequestError` when no response arrived within the timeout, the connection failed, or
   * the client's signal aborted.
   */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const verb = method.toUpperCase();
    const { url, authorization } = takeCredentials(resolveUrl(this.baseUrl, path, options.query));
    const timeoutMs = checkTimeout(options.timeoutMs ?? this.timeoutMs);
    const headers = new Headers(this.#headers);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    if (authorization !== undefined && !headers.has('authorization')) {
      headers.set('authorization', authorization);
    }
    const { text: body, json: bodyIsJson } = requestBody(verb, options, headers);

    const record: HttpRequestRecord = {
      method: verb,
      url: redactUrl(url),
      headers: redactHeaders(headers),
    };
    if (body !== undefined) record.body = recordedBody(body, bodyIsJson);

    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal =
      this.#signal === undefined ? timeout.signal : AbortSignal.any([timeout.signal, this.#signal]);
    const startedAt = new Date().toISOString();
    const start = performance.now();
    const elapsed = (): number => Math.round((performance.now() - start) * 1000) / 1000;
    try {
      // The signal covers reading the body too, so a response that stalls mid-body times out.
      const response = await fetch(url, { method: verb, headers, body, signal });
      const text = await response.text();
      this.#history.push({
        request: record,
        response: {
          status: response.status,
          statusText: response.statusText,
          headers: redactHeaders(response.headers),
          body: recordedBody(text, isJsonContentType(response.headers.get('content-type'))),
        },
        startedAt,
        durationMs: elapsed(),
      });
      return new HttpResponse({
        method: verb,
        url: response.url === '' ? url : response.url,
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        text,
      });
    } catch (error) {
      const kind: HttpFailureKind = !signal.aborted
        ? 'network'
        : timeout.signal.aborted && this.#signal?.aborted !== true
          ? 'timeout'
          : 'aborted';
      const reason =
        kind === 'timeout'
          ? `timed out after ${timeoutMs} ms`
          : kind === 'aborted'
            ? `aborted (${describeAbort(this.#signal?.reason)})`
            : redactText(describeNetworkFailure(error));
      this.#history.push({ request: record, error: reason, startedAt, durationMs: elapsed() });
      throw new HttpRequestError({ method: verb, url, kind, reason }, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}

function requestBody(
  method: string,
  options: RequestOptions,
  headers: Headers,
): { text: string | undefined; json: boolean } {
  const hasBody = options.json !== undefined || options.body !== undefined;
  // fetch would reject these too, but as a network failure with a misleading hint.
  if (hasBody && (method === 'GET' || method === 'HEAD')) {
    throw new TypeError(`A ${method} request cannot have a body`);
  }
  if (options.json !== undefined) {
    if (options.body !== undefined) {
      throw new TypeError('Give a request either `json` or `body`, not both');
    }
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return { text: JSON.stringify(options.json), json: true };
  }
  return { text: options.body, json: isJsonContentType(headers.get('content-type')) };
}

function checkTimeout(timeoutMs: number): number {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new TypeError(
      `timeoutMs must be a number of milliseconds above 0 and at most ${MAX_TIMEOUT_MS}, got ${timeoutMs}`,
    );
  }
  return timeoutMs;
}

function describeAbort(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'string' ? reason : 'signal aborted';
}
