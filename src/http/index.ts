// venomqa/http: the HTTP client a step's action gets, its responses, errors and the request
// records reports are written from.
export {
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
