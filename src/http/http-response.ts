import { messageOf } from '../errors/venomqa-error.js';
import { HttpResponseNotJsonError } from './http-errors.js';
import { isJsonContentType } from './recorded-body.js';
import { redactUrl, redactText } from '../redaction/index.js';

export interface HttpResponseInit {
  method: string;
  url: string;
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

// How much of a body a "not JSON" message quotes.
const QUOTED_BODY_CHARS = 120;

/**
 * A response as a step sees it: the whole body already read, so it can be looked at any number
 * of times. Unlike the exchange record, nothing here is redacted or cut.
 *
 * @example
 * ```ts
 * const res = await client.post('/orders', { json: { sku: 'A1' } });
 * expect(res.status).toBe(201);
 * const order = res.json<{ id: string }>();
 * ```
 */
export class HttpResponse {
  readonly status: number;
  readonly statusText: string;
  /** True for 2xx statuses. */
  readonly ok: boolean;
  readonly headers: Headers;
  /** The final URL, after redirects. */
  readonly url: string;
  readonly text: string;
  /** The parsed JSON when the content type is JSON and the text parses, else the text. */
  readonly body: unknown;
  readonly #method: string;
  readonly #parsed: boolean;

  constructor(init: HttpResponseInit) {
    this.status = init.status;
    this.statusText = init.statusText;
    this.ok = init.status >= 200 && init.status < 300;
    this.headers = init.headers;
    this.url = init.url;
    this.text = init.text;
    this.#method = init.method;
    let body: unknown = init.text;
    let parsed = false;
    if (isJsonContentType(init.headers.get('content-type'))) {
      try {
        body = JSON.parse(init.text) as unknown;
        parsed = true;
      } catch {
        // Mislabelled: `body` stays the text and `json()` says why it is not JSON.
      }
    }
    this.body = body;
    this.#parsed = parsed;
  }

  /**
   * The body parsed as JSON, whatever the content type says; throws
   * `HttpResponseNotJsonError` naming the request and status when it does not parse.
   */
  json<T = unknown>(): T {
    if (this.#parsed) return this.body as T;
    try {
      return JSON.parse(this.text) as T;
    } catch (error) {
      const status =
        this.statusText === '' ? `${this.status}` : `${this.status} ${this.statusText}`;
      const where = `${this.#method} ${redactUrl(this.url)} (${status})`;
      const contentType = this.headers.get('content-type') ?? 'no content-type';
      const why =
        this.text.trim() === ''
          ? 'the body is empty'
          : `${messageOf(error)}; ${contentType}, body starts ${JSON.stringify(quote(this.text))}`;
      throw new HttpResponseNotJsonError(`Response to ${where} is not JSON: ${why}`, {
        cause: error,
      });
    }
  }
}

function quote(text: string): string {
  const head = text.length > QUOTED_BODY_CHARS ? `${text.slice(0, QUOTED_BODY_CHARS)}…` : text;
  return redactText(head);
}
