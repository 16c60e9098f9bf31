// The public face of the http layer.
export {
  DEFAULT_TIMEOUT_MS,
  HttpClient,
  type ForkOptions,
  type HttpClientOptions,
  type RequestOptions,
} from './http-client.js';
export { HttpResponse } from './http-response.js';
export {
  HttpRequestError,
  HttpResponseNotJsonError,
  type HttpFailureKind,
  type HttpRequestErrorDetails,
} from './http-errors.js';
export type { HttpExchange, HttpRequestRecord, HttpResponseRecord } from './exchange.js';
export type { QueryParams } from './resolve-url.js';
export { MAX_RECORDED_BODY_CHARS } from './recorded-body.js';
export {
  REDACTED_VALUE,
  isSecretHeader,
  isSecretKey,
  redactHeaders,
  redactJson,
  redactRecordedUrl,
  redactSecretsInText,
} from './redaction.js';
