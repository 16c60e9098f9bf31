import { parsePostgresUrl, withDatabase } from './postgres-url.js';

export type ServerProvider = 'docker' | 'embedded' | 'url' | 'compose';

/**
 * A PostgreSQL server venomqa can create databases on.
 *
 * @example
 * await using server = await startPostgres(config);
 * const client = new pg.Client(server.urlFor('app'));
 */
export interface PostgresServer extends AsyncDisposable {
  readonly provider: ServerProvider;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** The database `adminUrl` points at. */
  readonly database: string;
  /** URL with credentials for the database above. Contains the password: redact before printing. */
  readonly adminUrl: string;
  /** `server_version`, e.g. `17.6`. */
  readonly version: string;
  /** `server_version_num`, e.g. `170006`. */
  readonly versionNum: number;
  /** Container id for `docker`, postmaster pid for `embedded`, the compose file for `compose`, absent for `url`. */
  readonly id: string | undefined;
  /**
   * A Unix socket folder only the server's OS user can reach, where local logins are trusted
   * (embedded servers: see embeddedSocketDir). A PgBouncer venomqa starts connects there.
   */
  readonly socketDir?: string | undefined;
  /** The same server and credentials, another database. */
  urlFor(database: string): string;
  /** The server's last `count` log lines (empty for `url`, whose logs we cannot see). */
  logs(count?: number): Promise<string[]>;
  /** Stop what we started (never a `url` server). Idempotent. */
  stop(): Promise<void>;
}

/**
 * Settings for short-lived test data, shared by the embedded server and the docker image
 * (images/postgres/postgresql.conf). Durability is traded for speed: a crash loses the data,
 * which a test database can afford.
 */
export const TEST_DATA_SETTINGS: Readonly<Record<string, string>> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  wal_level: 'minimal',
  max_wal_senders: '0',
  max_wal_size: '4GB',
  checkpoint_timeout: '1h',
  max_connections: '300',
  shared_buffers: '128MB',
};

/** What differs between providers; the rest of a {@link PostgresServer} follows from `adminUrl`. */
export interface PostgresServerParts {
  provider: ServerProvider;
  adminUrl: string;
  ready: { version: string; versionNum: number };
  id: string | undefined;
  socketDir?: string | undefined;
  logs: (count?: number) => Promise<string[]>;
  /** Must be idempotent: `stop()` and `asyncDispose` both call it. */
  stop: () => Promise<void>;
}

/** Build a server handle; host, port, user and database are read from `adminUrl`. */
export function postgresServer(parts: PostgresServerParts): PostgresServer {
  const address = parsePostgresUrl(parts.adminUrl);
  return {
    provider: parts.provider,
    host: address.host,
    port: address.port,
    user: address.user,
    database: address.database,
    adminUrl: parts.adminUrl,
    version: parts.ready.version,
    versionNum: parts.ready.versionNum,
    id: parts.id,
    socketDir: parts.socketDir,
    urlFor: (database) => withDatabase(parts.adminUrl, database),
    logs: parts.logs,
    stop: parts.stop,
    [Symbol.asyncDispose]: parts.stop,
  };
}
