import type { ResolvedConfig } from '../config/schema.js';
import { embeddedSocketDir } from '../server/embedded-socket.js';
import { ManagedDatabase, refusingError } from '../server/managed-database.js';
import type { PostgresServer } from '../server/postgres-server.js';
import { parsePostgresUrl } from '../server/postgres-url.js';
import { adminUrlFor } from '../snapshot/maintenance-database.js';
import type { PgBouncer } from '../server/pgbouncer.js';
import { startPgBouncer } from '../server/start-pgbouncer.js';
import { startPostgres } from '../server/start-postgres.js';
import { SnapshotEngine } from '../snapshot/snapshot-engine.js';

/** The PostgreSQL server a run's databases live on, with the run's snapshot engine on it. */
export interface RunServer {
  engine: SnapshotEngine;
  /**
   * The connection gate in front of the server (`server.pooler: pgbouncer`), when API slots
   * use one: slot APIs connect through it and swaps pause it.
   */
  pooler: PgBouncer | undefined;
  /** The URL an API slot's database is reached at: through the pooler when there is one. */
  slotUrlFor(database: string): string;
  /** A server started for this run only (stopped by `close`). */
  server: PostgresServer | undefined;
  /** Whether it outlives the run (the managed `venomqa db`, or `db_url`'s server). */
  persistent: boolean;
  close(): Promise<void>;
}

/**
 * Where per-path and slot databases are made: the server of `db_url`; else the caller's server
 * when given; else the managed
 * `venomqa db` when it runs (kept clones and setup templates outlive the run there); else a
 * server started for the run (Docker, else embedded) and stopped after it.
 */
export async function openRunServer(
  config: ResolvedConfig,
  cwd: string,
  options: {
    /** A server the caller runs (kept running): databases are made there unless db_url is set. */
    server?: { adminUrl: string } | undefined;
    /** Put `server.pooler` in front of the server (API slots swap databases under APIs). */
    withPooler?: boolean;
    signal?: AbortSignal;
    onProgress?: (line: string) => void;
  },
): Promise<RunServer> {
  const progress = options.onProgress ?? (() => undefined);
  let server: PostgresServer | undefined;
  let adminUrl: string;
  let workingDatabase: string | undefined;
  /** What PgBouncer needs to know of a managed server venomqa did not start for this run. */
  let managedServer: Pick<PostgresServer, 'provider' | 'id' | 'socketDir'> | undefined;
  if (config.db_url) {
    workingDatabase = parsePostgresUrl(config.db_url).database;
    adminUrl = adminUrlFor(config.db_url, workingDatabase);
  } else if (options.server) {
    adminUrl = options.server.adminUrl;
  } else {
    const managed = await new ManagedDatabase(config, cwd).status();
    // Running but refusing venomqa (out of connection slots, …): say so, rather than quietly
    // running on a server of its own.
    if (managed.refusing !== undefined) throw refusingError(managed);
    if (managed.running && managed.state) {
      adminUrl = ManagedDatabase.urlOf(managed.state, 'postgres');
      const { rootDir } = managed.state;
      if (managed.state.provider === 'embedded' && rootDir !== undefined) {
        managedServer = {
          provider: 'embedded',
          id: undefined,
          socketDir: embeddedSocketDir(rootDir),
        };
      }
      progress(`PostgreSQL ${managed.state.serverVersion} (the managed \`venomqa db\`)`);
      if (managed.configChanged) {
        progress(
          `note: the managed \`venomqa db\` runs with another configuration (${managed.configChanged}); \`venomqa db up\` replaces it`,
        );
      }
    } else {
      server = await startPostgres(config, {
        onProgress: progress,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      adminUrl = server.adminUrl;
      progress(`PostgreSQL ${server.version} (${server.provider}) for this run`);
      if (config.keep_failed) {
        progress(
          'keep_failed: this server stops when the run ends, and the kept clones with it; start one that stays with `venomqa db up`.',
        );
      }
    }
  }
  let pooler: PgBouncer | undefined;
  let engine: SnapshotEngine;
  try {
    if (options.withPooler && config.server.pooler !== 'none') {
      const poolerServer = server ?? managedServer;
      pooler = await startPgBouncer({
        serverUrl: adminUrl,
        ...(poolerServer ? { server: poolerServer } : {}),
        startupTimeoutMs: config.server.startup_timeout * 1000,
      });
      progress(
        'PgBouncer in front of the API slots (server.pooler): a swap holds their queries instead of ending their sessions',
      );
    }
    engine = await SnapshotEngine.open({
      adminUrl,
      workingDatabase,
      allowRemote: config.safety.allow_remote,
      ...(pooler ? { connectionGate: pooler } : {}),
    });
  } catch (error) {
    await pooler?.stop().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    throw error;
  }
  const gate = pooler;
  return {
    engine,
    pooler,
    slotUrlFor: (database) => gate?.urlFor(database) ?? engine.urlFor(database),
    server,
    persistent: server === undefined,
    close: async () => {
      try {
        await engine.close();
      } finally {
        try {
          await gate?.stop();
        } finally {
          await server?.stop();
        }
      }
    },
  };
}
