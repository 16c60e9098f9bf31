import type { HttpExchange, HttpRequestRecord } from '../http/exchange.js';
import { redactHeaders, redactJson, redactUrl, redactText } from '../redaction/index.js';
import type {
  ErrorInfo,
  ItemResult,
  JourneyResult,
  PathResult,
  RunResult,
} from '../result/run-result.js';
import { redactStateDiff } from './redact-state-diff.js';

/**
 * A copy of `result` with secrets removed from everything a report prints: exchange URLs,
 * headers and bodies, error messages and stacks, API log lines, skip reasons. The HTTP client
 * records exchanges redacted already; reports redact again because a result can be built or
 * changed by other code (a custom runner, a plugin step), and an error message or an API log
 * line is never redacted at the source. Idempotent; names are kept as they are.
 */
export function redactRunResult(result: RunResult): RunResult {
  return { ...result, journeys: result.journeys.map(redactJourney) };
}

function redactJourney(journey: JourneyResult): JourneyResult {
  return withError({ ...journey, items: journey.items.map(redactItem) });
}

function redactItem(item: ItemResult): ItemResult {
  switch (item.kind) {
    case 'step': {
      const step = { ...item, exchanges: item.exchanges.map(redactExchange) };
      if (item.logs !== undefined) step.logs = item.logs.map((line) => redactText(line));
      return withError(step);
    }
    case 'checkpoint':
      return withError({ ...item });
    case 'branch':
      return withError({ ...item, paths: item.paths.map(redactPath) });
  }
}

function redactPath(path: PathResult): PathResult {
  const copy = { ...path, items: path.items.map(redactItem) };
  if (path.skipReason !== undefined) copy.skipReason = redactText(path.skipReason);
  if (path.stateDiff !== undefined) copy.stateDiff = redactStateDiff(path.stateDiff);
  return withError(copy);
}

function withError<T extends { error?: ErrorInfo }>(value: T): T {
  if (value.error === undefined) return value;
  const error: ErrorInfo = { ...value.error, message: redactText(value.error.message) };
  if (value.error.stack !== undefined) error.stack = redactText(value.error.stack);
  return { ...value, error };
}

function redactExchange(exchange: HttpExchange): HttpExchange {
  const request: HttpRequestRecord = {
    ...exchange.request,
    url: redactUrl(exchange.request.url),
    headers: redactHeaders(exchange.request.headers),
  };
  if ('body' in exchange.request) request.body = redactBody(exchange.request.body);
  const copy: HttpExchange = { ...exchange, request };
  if (exchange.response !== undefined) {
    copy.response = {
      ...exchange.response,
      headers: redactHeaders(exchange.response.headers),
      body: redactBody(exchange.response.body),
    };
  }
  if (exchange.error !== undefined) copy.error = redactText(exchange.error);
  return copy;
}

function redactBody(body: unknown): unknown {
  return typeof body === 'string' ? redactText(body) : redactJson(body);
}
