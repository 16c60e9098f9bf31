import { isIP } from 'node:net';
import { ProtectedDatabaseError } from './snapshot-errors.js';
import { parsePhysicalName } from './snapshot-names.js';

/** Databases no destructive venomqa operation may ever touch. */
export const PROTECTED_DATABASES: ReadonlySet<string> = new Set([
  'postgres',
  'template0',
  'template1',
]);

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1';
  // Unix socket directories are local by definition.
  return bare.startsWith('/');
}

export interface SafetyGuardOptions {
  host: string;
  /** The configured working database: the one destructive target venomqa did not create. */
  workingDatabase?: string | undefined;
  /** Both `safety.allow_remote` in the config and the `--allow-remote` flag, AND-ed by the caller. */
  allowRemote?: boolean;
  /** The database the admin connection uses; replacing it would cut our own connection. */
  maintenanceDatabase: string;
}

/**
 * Refuses destructive operations (drop, restore-into) on databases that are not venomqa's: the
 * system databases, anything not named as venomqa names its databases except the configured
 * working database, and any database on a server that is not on this machine unless remote use
 * was allowed twice.
 */
export class SafetyGuard {
  readonly #options: SafetyGuardOptions;

  constructor(options: SafetyGuardOptions) {
    this.#options = options;
  }

  /** Throws unless the server is local or remote use was explicitly allowed. */
  assertServerAllowed(operation: string): void {
    if (isLoopbackHost(this.#options.host) || this.#options.allowRemote) return;
    throw new ProtectedDatabaseError(
      `Refusing to ${operation} on ${this.#options.host}: it is not a loopback address`,
      {
        hint: 'Set `safety.allow_remote: true` in venomqa.yaml AND pass --allow-remote, if this server really is disposable.',
      },
    );
  }

  /**
   * Throws unless `database` may be dropped or replaced. `postgres` may be replaced when it is
   * the configured working database (the official image's default database often holds the
   * app's data); `template0`, `template1` and the engine's own maintenance database never.
   */
  assertDestructiveAllowed(database: string, operation: string): void {
    this.assertServerAllowed(operation);
    const workingPostgres = database === 'postgres' && this.#options.workingDatabase === 'postgres';
    if (
      (PROTECTED_DATABASES.has(database) && !workingPostgres) ||
      database === this.#options.maintenanceDatabase
    ) {
      throw new ProtectedDatabaseError(
        `Refusing to ${operation} '${database}': it is a system database`,
        {
          hint: 'venomqa never replaces or drops template0, template1 or its maintenance database, nor postgres unless db_url names it; point db_url (VENOMQA_DB_URL) at your QA database.',
        },
      );
    }
    // A name of venomqa's own making, not just its prefix: `vqa_decoy` is somebody else's.
    if (parsePhysicalName(database)) return;
    if (this.#options.workingDatabase !== undefined && database === this.#options.workingDatabase)
      return;
    throw new ProtectedDatabaseError(
      `Refusing to ${operation} '${database}': venomqa did not create it and it is not the configured working database`,
      {
        hint: 'Point db_url (VENOMQA_DB_URL) at the database to restore into: venomqa replaces only the configured working database and databases it created.',
      },
    );
  }
}
