import type { HttpExchange, HttpRequestRecord, HttpResponseRecord } from '../http/exchange.js';
import type { ErrorInfo, ResultStatus } from '../result/run-result.js';

/** ✓ passed, ✗ failed, – skipped. */
export function statusMark(status: ResultStatus): string {
  return status === 'passed' ? '✓' : status === 'failed' ? '✗' : '–';
}

/** `850 ms`, `1.24 s`, `3 min 05.1 s`: for people; JUnit's `time` has its own format. */
export function formatDuration(ms: number): string {
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  // Thresholds sit where rounding would print `1000 ms` or `60.00 s`.
  if (ms < 59_995) return `${(ms / 1000).toFixed(2)} s`;
  const tenths = Math.round(ms / 100);
  const seconds = ((tenths % 600) / 10).toFixed(1).padStart(4, '0');
  return `${Math.floor(tenths / 600)} min ${seconds} s`;
}

/** `HttpRequestError [VENOMQA_HTTP_REQUEST_FAILED]: message`, from what the error info has. */
export function errorHeadline(error: ErrorInfo | undefined): string {
  if (error === undefined) return 'failed without a recorded error';
  const name = error.name ?? 'Error';
  const code = error.code === undefined ? '' : ` [${error.code}]`;
  const hint = error.hint === undefined ? '' : `\nhint: ${error.hint}`;
  return `${name}${code}: ${error.message}${hint}`;
}

/** The first line of a possibly multi-line message. */
export function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

/** A request as an HTTP client would show it: request line, headers, blank line, body. */
export function requestText(request: HttpRequestRecord): string {
  return message(`${request.method} ${request.url}`, request.headers, request.body);
}

/** A response as an HTTP client would show it: status line, headers, blank line, body. */
export function responseText(response: HttpResponseRecord): string {
  const statusLine = `HTTP ${response.status} ${response.statusText}`.trimEnd();
  return message(statusLine, response.headers, response.body);
}

/** `POST http://h/orders → 500 Internal Server Error (12 ms)`, or the reason there was none. */
export function exchangeSummary(exchange: HttpExchange): string {
  const outcome =
    exchange.response === undefined
      ? `no response: ${exchange.error ?? 'unknown error'}`
      : `${exchange.response.status} ${exchange.response.statusText}`.trimEnd();
  const { method, url } = exchange.request;
  return `${method} ${url} → ${outcome} (${formatDuration(exchange.durationMs)})`;
}

function message(startLine: string, headers: Record<string, string>, body: unknown): string {
  const lines = [startLine, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  const text = bodyText(body);
  if (text !== '') lines.push('', text);
  return lines.join('\n');
}

/** JSON pretty-printed; text as it is. */
function bodyText(body: unknown): string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  return JSON.stringify(body, null, 2);
}
