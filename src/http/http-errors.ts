import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';
import { redactUrl } from '../redaction/index.js';

/**
 * Why a request got no response: the timeout passed, the caller's signal aborted it (fail_fast),
 * or the network failed (refused connection, DNS, reset, TLS).
 */
export type HttpFailureKind = 'timeout' | 'aborted' | 'network';

export interface HttpRequestErrorDetails {
  method: string;
  /** The URL requested; redacted before it reaches the message. */
  url: string;
  kind: HttpFailureKind;
  /** Why, in words: `timed out after 30000 ms`, `connection refused`. */
  reason: string;
}

/**
 * A request that got no response. Non-2xx responses are not errors: steps assert on them.
 *
 * @example
 * ```ts
 * try { await client.get('/health'); }
 * catch (error) { if (error instanceof HttpRequestError && error.kind === 'timeout') … }
 * ```
 */
export class HttpRequestError extends VenomQAError {
  readonly code = 'VENOMQA_HTTP_REQUEST_FAILED';
  readonly exitCode = ExitCode.JourneysFailed;
  readonly method: string;
  /** The redacted URL. */
  readonly url: string;
  readonly kind: HttpFailureKind;
  readonly reason: string;

  constructor(details: HttpRequestErrorDetails, options: VenomQAErrorOptions = {}) {
    const url = redactUrl(details.url);
    super(`${details.method} ${url} failed: ${details.reason}`, {
      hint: hintFor(details.kind, url),
      ...options,
    });
    this.method = details.method;
    this.url = url;
    this.kind = details.kind;
    this.reason = details.reason;
  }
}

function hintFor(kind: HttpFailureKind, url: string): string | undefined {
  switch (kind) {
    case 'timeout':
      return 'Raise `timeout` in venomqa.yaml (seconds) or pass { timeoutMs } to this request, or find out why the API is slow from its log.';
    case 'network':
      return `Check that the API is running and listening at ${originOf(url)}, and that base_url points at it.`;
    case 'aborted':
      return undefined;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** `HttpResponse.json()` on a body that is not JSON. */
export class HttpResponseNotJsonError extends VenomQAError {
  readonly code = 'VENOMQA_HTTP_RESPONSE_NOT_JSON';
  readonly exitCode = ExitCode.JourneysFailed;
}
