import { redactUrl } from '../redaction/index.js';
import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';

/** The kind of server a connection went to: the hints differ. */
export type ServerKind = 'postgres' | 'mysql' | 'redis';

/** Where a connection went, and why venomqa opened it (for the message). */
export interface ConnectionTarget {
  /** The URL as given (with its password: only its redacted form is ever printed). */
  url: string;
  kind: ServerKind;
  /** What the connection was for, e.g. `venomqa's admin connection`. */
  purpose?: string | undefined;
}

/**
 * A server could not be reached or refused us: an environment problem, never a bug. Every
 * subclass names the redacted URL and what failed, and its `hint` is the next command to try.
 */
export abstract class ServerConnectionError extends VenomQAError {
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  /** The URL with its password replaced by `***`. */
  readonly url: string;
  readonly kind: ServerKind;

  constructor(target: ConnectionTarget, message: string, options: VenomQAErrorOptions) {
    super(message, options);
    this.url = redactUrl(target.url);
    this.kind = target.kind;
  }
}

/** Nothing accepts connections at the URL's host and port (ECONNREFUSED). */
export class ConnectionRefusedError extends ServerConnectionError {
  readonly code = 'VENOMQA_CONNECTION_REFUSED';
}

/** The URL's host name does not resolve (ENOTFOUND, EAI_AGAIN). */
export class HostNotFoundError extends ServerConnectionError {
  readonly code = 'VENOMQA_HOST_NOT_FOUND';
}

/** No route to the host (EHOSTUNREACH, ENETUNREACH). */
export class HostUnreachableError extends ServerConnectionError {
  readonly code = 'VENOMQA_HOST_UNREACHABLE';
}

/** The server did not answer within the connect timeout. */
export class ConnectionTimeoutError extends ServerConnectionError {
  readonly code = 'VENOMQA_CONNECTION_TIMEOUT';
}

/** Wrong user or password (PostgreSQL 28P01, MySQL 1045, Redis WRONGPASS / NOAUTH). */
export class AuthenticationFailedError extends ServerConnectionError {
  readonly code = 'VENOMQA_AUTHENTICATION_FAILED';
}

/** The server's rules reject this connection (PostgreSQL 28000: pg_hba.conf, login not allowed). */
export class ConnectionNotAllowedError extends ServerConnectionError {
  readonly code = 'VENOMQA_CONNECTION_NOT_ALLOWED';
}

/** The URL names a database the server does not have (PostgreSQL 3D000, MySQL 1049). */
export class DatabaseMissingError extends ServerConnectionError {
  readonly code = 'VENOMQA_DATABASE_MISSING';
}

/** TLS could not be set up: the server offers none, or its certificate does not verify. */
export class TlsConnectionError extends ServerConnectionError {
  readonly code = 'VENOMQA_TLS_FAILED';
}

/** The server has no connection slot left (PostgreSQL 53300, MySQL 1040 / 1203). */
export class TooManyConnectionsError extends ServerConnectionError {
  readonly code = 'VENOMQA_TOO_MANY_CONNECTIONS';
}

/** The role may not connect to the database (PostgreSQL 42501, MySQL 1044). */
export class PermissionDeniedError extends ServerConnectionError {
  readonly code = 'VENOMQA_PERMISSION_DENIED';
}

/** The server is starting up or shutting down (PostgreSQL 57P03). */
export class ServerNotReadyError extends ServerConnectionError {
  readonly code = 'VENOMQA_SERVER_NOT_READY';
}

/** A connection URL venomqa cannot use as written (an unknown sslmode, an unreadable cert). */
export class ConnectionUrlError extends VenomQAError {
  readonly code = 'VENOMQA_CONNECTION_URL_INVALID';
  readonly exitCode = ExitCode.Usage;
}
