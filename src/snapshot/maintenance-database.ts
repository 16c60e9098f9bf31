import { withDatabase } from '../server/postgres-url.js';

/**
 * The database the snapshot engine connects to (its admin pool and its run lease): `postgres`,
 * or `template1` when the working database is `postgres` itself. A database cannot be copied
 * (`CREATE DATABASE … TEMPLATE`) or renamed while other sessions are connected to it, and the
 * engine's own sessions would be those other sessions. `template1` is the one other database
 * every server has that allows connections; the cost, while venomqa runs on `postgres`, is that
 * a plain `CREATE DATABASE` by someone else (which copies `template1`) waits for venomqa's
 * sessions and fails with "source database template1 is being accessed by other users".
 * venomqa's own new databases copy `template0` or a snapshot, never `template1`.
 *
 * @example
 * ```ts
 * maintenanceDatabaseFor('app'); // 'postgres'
 * maintenanceDatabaseFor('postgres'); // 'template1'
 * ```
 */
export function maintenanceDatabaseFor(workingDatabase: string | undefined): string {
  return workingDatabase === 'postgres' ? 'template1' : 'postgres';
}

/** The admin URL for a working database's server: same credentials, the maintenance database. */
export function adminUrlFor(url: string, workingDatabase: string): string {
  return withDatabase(url, maintenanceDatabaseFor(workingDatabase));
}
