export type { PostgresServer, ServerProvider } from './postgres-server.js';
export { TEST_DATA_SETTINGS } from './postgres-server.js';
export { startPostgres, chooseProvider, type StartPostgresOptions } from './start-postgres.js';
export { startDockerPostgres, ensurePostgresImage, POSTGRES_IMAGE_DIR } from './docker-postgres.js';
export {
  startEmbeddedPostgres,
  stopPostmaster,
  EMBEDDED_TEMP_PREFIX,
} from './embedded-postgres.js';
export { connectUrlPostgres } from './url-postgres.js';
export { waitForPostgres, queryOnce } from './wait-for-postgres.js';
export {
  PostgresStartError,
  PostgresUnavailableError,
  ServerConfigError,
} from './postgres-server-errors.js';
export { formatPostgresUrl, parsePostgresUrl, withDatabase } from './postgres-url.js';
export { PgBouncer } from './pgbouncer.js';
export { startPgBouncer, type PgBouncerOptions } from './start-pgbouncer.js';
export { PgBouncerError } from './pgbouncer-errors.js';
export { prunePgBouncers } from './pgbouncer-local.js';
export { startPooler } from './start-pooler.js';
