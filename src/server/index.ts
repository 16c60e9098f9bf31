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
