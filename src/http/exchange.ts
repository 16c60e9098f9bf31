/**
 * One HTTP request and what came back, as kept in a client's history and shown in reports.
 * Secrets are already removed: credentials in URLs and the values of headers such as
 * `authorization` and `cookie` are replaced before a record is made.
 */
export interface HttpExchange {
  request: HttpRequestRecord;
  /** Absent when no response arrived (timeout, refused connection). */
  response?: HttpResponseRecord;
  /** Why no response arrived. */
  error?: string;
  /** ISO 8601 time the request was sent. */
  startedAt: string;
  durationMs: number;
}

export interface HttpRequestRecord {
  method: string;
  /** The full URL, credentials redacted. */
  url: string;
  headers: Record<string, string>;
  /** Parsed JSON when JSON was sent, else the text; absent without a body. */
  body?: unknown;
}

export interface HttpResponseRecord {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** Parsed JSON when the response is JSON, else the text (cut to a bounded size). */
  body: unknown;
}
