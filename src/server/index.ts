// venomqa/server: where PostgreSQL runs (Docker, embedded, a URL), the project's managed
// database (`venomqa db`), and PostgreSQL URL helpers.
export type { PostgresServer, ServerProvider } from './postgres-server.js';
export { startPostgres, type StartPostgresOptions } from './start-postgres.js';
export {
  ManagedDatabase,
  type ManagedDatabaseState,
  type ManagedDatabaseStatus,
} from './managed-database.js';
export {
  waitForPostgres,
  type ServerVersion,
  type WaitForPostgresOptions,
} from './wait-for-postgres.js';
export {
  ManagedDatabaseError,
  PostgresNotReadyError,
  PostgresStartError,
  PostgresUnavailableError,
  ServerConfigError,
} from './server-errors.js';
export {
  formatPostgresUrl,
  parsePostgresUrl,
  withDatabase,
  type PostgresAddress,
} from './postgres-url.js';
export {
  AuthenticationFailedError,
  ConnectionNotAllowedError,
  ConnectionRefusedError,
  ConnectionTimeoutError,
  ConnectionUrlError,
  DatabaseMissingError,
  HostNotFoundError,
  HostUnreachableError,
  PermissionDeniedError,
  ServerConnectionError,
  ServerNotReadyError,
  TlsConnectionError,
  TooManyConnectionsError,
} from './connection-errors.js';
export { SSL_MODES, type SslMode } from './pg-connection-config.js';
export { COMPOSE_DB_SERVICE, ComposeUnavailableError } from './compose-postgres.js';
export { PgBouncer } from './pgbouncer.js';
export { startPgBouncer, type PgBouncerOptions } from './start-pgbouncer.js';
export { PgBouncerError } from './pgbouncer-errors.js';
export { prunePgBouncers } from './pgbouncer-local.js';
export { startPooler } from './start-pooler.js';
export type { ConnectionGate } from './connection-gate.js';
