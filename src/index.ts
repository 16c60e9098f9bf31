/**
 * venomqa: stateful API testing with PostgreSQL database branching.
 *
 * @example
 * import { resolveConfig, startPostgres } from 'venomqa';
 * const config = resolveConfig({ cwd: process.cwd(), env: process.env });
 * await using server = await startPostgres(config);
 */
export * from './config/index.js';
export * from './server/index.js';
export * from './docker/index.js';
export * from './snapshot/index.js';
export * from './snapshot/dump/index.js';
export * from './state/index.js';
export * from './journey/index.js';
export * from './http/index.js';
export * from './runner/index.js';
export * from './run/index.js';
export * from './api/index.js';
export * from './report/index.js';
export {
  ManagedDatabase,
  ManagedDatabaseError,
  type ManagedDatabaseState,
} from './server/managed-database.js';
export { VenomQAError, isVenomQAError } from './errors/venomqa-error.js';
export { ExitCode } from './errors/exit-code.js';
export { RUN_ID } from './run-id.js';
