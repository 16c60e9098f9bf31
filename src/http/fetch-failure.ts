import { messageOf } from '../errors/venomqa-error.js';

// Node's system error codes in words a test author recognises.
const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host not found (DNS lookup failed)',
  EAI_AGAIN: 'DNS lookup failed (temporary failure)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending the request',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_OVERFLOW: 'response headers too large',
};

/**
 * Why `fetch` failed, from the error it threw. Node's fetch throws `TypeError('fetch failed')`
 * and keeps the real reason (a system error with a `code`, sometimes an `AggregateError` of one
 * per address tried) in `cause`, so the chain is searched for the first known code.
 */
export function describeNetworkFailure(error: unknown): string {
  let innermost: unknown = error;
  for (const candidate of causeChain(error)) {
    const code = codeOf(candidate);
    if (code !== undefined && NETWORK_REASONS[code] !== undefined) return NETWORK_REASONS[code];
    innermost = candidate;
  }
  const code = codeOf(innermost);
  const message = messageOf(innermost);
  return code === undefined || message.includes(code) ? message : `${message} (${code})`;
}

function* causeChain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    yield current;
    if (current instanceof AggregateError && current.errors.length > 0) {
      yield* current.errors as unknown[];
    }
    current = current instanceof Error ? current.cause : undefined;
  }
}

function codeOf(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object' || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
