import { redactUrl } from '../redaction/index.js';
import { isVenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';
import {
  AuthenticationFailedError,
  ConnectionNotAllowedError,
  ConnectionRefusedError,
  ConnectionTimeoutError,
  DatabaseMissingError,
  HostNotFoundError,
  HostUnreachableError,
  PermissionDeniedError,
  ServerConnectionError,
  ServerNotReadyError,
  TlsConnectionError,
  TooManyConnectionsError,
  type ConnectionTarget,
  type ServerKind,
} from './connection-errors.js';
import { addressOf, describeFailure, type Situation } from './connection-failure-text.js';

/** Node's socket error codes, by situation. */
const NETWORK_CODES: Readonly<Record<string, Situation>> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  EAI_FAIL: 'dns',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ETIMEDOUT: 'timeout',
};

/** PostgreSQL SQLSTATEs of a failed connection. */
const POSTGRES_CODES: Readonly<Record<string, Situation>> = {
  '28P01': 'auth',
  '28000': 'not-allowed',
  '3D000': 'missing-database',
  '53300': 'too-many',
  '42501': 'permission',
  '57P03': 'not-ready',
};

/** mysql2's error codes of a failed connection. */
const MYSQL_CODES: Readonly<Record<string, Situation>> = {
  ER_ACCESS_DENIED_ERROR: 'auth',
  ER_BAD_DB_ERROR: 'missing-database',
  ER_DBACCESS_DENIED_ERROR: 'permission',
  ER_CON_COUNT_ERROR: 'too-many',
  ER_TOO_MANY_USER_CONNECTIONS: 'too-many',
  ER_HOST_NOT_PRIVILEGED: 'not-allowed',
  HANDSHAKE_NO_SSL_SUPPORT: 'tls',
  HANDSHAKE_SSL_ERROR: 'tls',
};

/**
 * Redis error replies start with an error code word (the protocol's own convention, not
 * free text): these mean the credentials were wrong or missing.
 */
const REDIS_AUTH_REPLIES = new Set(['WRONGPASS', 'NOAUTH', 'NOPERM']);

/** Node's TLS certificate and handshake error codes. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The codes to look at: the error's own, then those of its `errors` (happy eyeballs) and `cause`. */
function codesOf(error: unknown, depth = 0): string[] {
  if (error === null || typeof error !== 'object' || depth > 3) return [];
  const { errors, cause } = error as { errors?: unknown; cause?: unknown };
  const inner: unknown[] = [...(Array.isArray(errors) ? (errors as unknown[]) : []), cause];
  const own = codeOf(error);
  const nested = inner.flatMap((item) => codesOf(item, depth + 1));
  return own === undefined ? nested : [own, ...nested];
}

function situationOf(error: unknown, kind: ServerKind): Situation | undefined {
  for (const code of codesOf(error)) {
    const network = NETWORK_CODES[code];
    if (network !== undefined) return network;
    if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) {
      return 'tls';
    }
    const own =
      kind === 'postgres' ? POSTGRES_CODES[code] : kind === 'mysql' ? MYSQL_CODES[code] : undefined;
    if (own !== undefined) return own;
  }
  if (kind === 'redis' && error instanceof Error) {
    const reply = /^[A-Z]+/.exec(error.message)?.[0];
    if (reply !== undefined && REDIS_AUTH_REPLIES.has(reply)) return 'auth';
  }
  return undefined;
}

const CONSTRUCTORS: Readonly<
  Record<
    Situation,
    new (
      target: ConnectionTarget,
      message: string,
      options: VenomQAErrorOptions,
    ) => ServerConnectionError
  >
> = {
  refused: ConnectionRefusedError,
  dns: HostNotFoundError,
  unreachable: HostUnreachableError,
  timeout: ConnectionTimeoutError,
  auth: AuthenticationFailedError,
  'not-allowed': ConnectionNotAllowedError,
  'missing-database': DatabaseMissingError,
  tls: TlsConnectionError,
  'too-many': TooManyConnectionsError,
  permission: PermissionDeniedError,
  'not-ready': ServerNotReadyError,
};

function build(
  situation: Situation,
  target: ConnectionTarget,
  cause: unknown,
): ServerConnectionError {
  const at = addressOf(target.url, target.kind);
  const { headline, detail, hint } = describeFailure(
    situation,
    target.kind,
    at,
    redactUrl(target.url),
  );
  const purpose = target.purpose === undefined ? '' : ` (${target.purpose})`;
  return new CONSTRUCTORS[situation](target, `${headline}: ${detail}${purpose}`, {
    cause,
    hint,
  });
}

/**
 * The typed error for a connection that failed because of the environment, chosen by the
 * error's code (Node's socket codes, the SQLSTATE, mysql2's code), never by its message; or
 * undefined when the failure is not one of those (the caller keeps the original error).
 *
 * @example
 * ```ts
 * try {
 *   await client.connect();
 * } catch (error) {
 *   throw connectionFailure(error, { url, kind: 'postgres' }) ?? error;
 * }
 * ```
 */
export function connectionFailure(
  error: unknown,
  target: ConnectionTarget,
): ServerConnectionError | undefined {
  if (error instanceof ServerConnectionError) return error;
  if (isVenomQAError(error)) return undefined;
  const situation = situationOf(error, target.kind);
  return situation === undefined ? undefined : build(situation, target, error);
}

/** A {@link ConnectionTimeoutError} for a connect attempt that ran out of time. */
export function connectionTimeout(
  target: ConnectionTarget,
  cause?: unknown,
): ConnectionTimeoutError {
  return build('timeout', target, cause) as ConnectionTimeoutError;
}

/** A {@link DatabaseMissingError} for a URL whose database was found missing another way. */
export function databaseMissing(target: ConnectionTarget, cause?: unknown): DatabaseMissingError {
  return build('missing-database', target, cause) as DatabaseMissingError;
}

/** A {@link TlsConnectionError} for a server that answered an SSLRequest with "no". */
export function tlsUnavailable(target: ConnectionTarget, sslmode: string): TlsConnectionError {
  const at = addressOf(target.url, target.kind);
  return new TlsConnectionError(
    target,
    `TLS failed for ${redactUrl(target.url)}: the server on ${at.host}:${at.port} does not offer TLS, and sslmode=${sslmode} requires it` +
      (target.purpose === undefined ? '' : ` (${target.purpose})`),
    {
      hint: 'Turn TLS on in the server (ssl = on), or use sslmode=prefer (TLS when offered) or sslmode=disable in db_url.',
    },
  );
}

/**
 * True for connection failures worth retrying while a server starts (refused, timeout, not
 * ready yet); false for those that waiting cannot fix (wrong password, no such host, …).
 */
export function isTransientConnectionFailure(error: unknown): boolean {
  return (
    error instanceof ConnectionRefusedError ||
    error instanceof ConnectionTimeoutError ||
    error instanceof ServerNotReadyError ||
    error instanceof TooManyConnectionsError
  );
}
