import pg from 'pg';
import { redactText, redactUrl } from '../redaction/index.js';
import { messageOf } from '../errors/venomqa-error.js';
import { openPgClient } from '../server/open-pg-client.js';
import { StateConfigError, StateConnectionError } from './state-errors.js';
import { BaseStateManager, type StateManagerOptions } from './base-state-manager.js';
import {
  POSTGRES_LOCK_TIMEOUT,
  TableLockedError,
  postgresLockHolders,
} from './table-locked-error.js';
import {
  checkLockTimeout,
  checkTableOption,
  migrationTablesIn,
  tablesToReset,
} from './tables-to-reset.js';
import { sqlState } from '../snapshot/postgres-error-codes.js';

/** Options of {@link PostgreSQLStateManager}, named as VenomQA documents them. */
export interface PostgreSQLStateManagerOptions extends StateManagerOptions {
  /** `postgresql://user:password@host:5432/database`. */
  connection_url: string;
  /**
   * Tables `reset()` truncates (`table` for the public schema, or `schema.table`). Default:
   * every table of the public schema except migration tables.
   */
  tables_to_reset?: readonly string[];
  /** Tables `reset()` never truncates (`table` or `schema.table`). */
  exclude_tables?: readonly string[];
  /**
   * Seconds `reset()` waits for a table lock another session holds before failing with a
   * {@link TableLockedError} that names that session. Default 10.
   */
  lock_timeout?: number;
}

interface QualifiedTable {
  schema: string;
  table: string;
}

const DEFAULT_SCHEMA = 'public';

/**
 * VenomQA's SAVEPOINT backend for PostgreSQL (`db_backend: postgresql-savepoint`). One
 * connection opens a transaction at `connect()` (autocommit off); `checkpoint('x')` is
 * `SAVEPOINT chk_x`, `rollback('x')` is `ROLLBACK TO SAVEPOINT chk_x`, `release('x')` is
 * `RELEASE SAVEPOINT chk_x`. `disconnect()` rolls the transaction back.
 *
 * Know its limits before choosing it over template clones:
 * - A SAVEPOINT protects only work done **on this connection**. Code under test must run its
 *   queries through {@link PostgreSQLStateManager.client} or {@link PostgreSQLStateManager.query}
 *   (an in-process app handed this connection). An API with its own connection pool commits
 *   outside this transaction: rollback cannot undo that, and its writes are invisible here.
 * - Rollback is newest-first: rolling back to a checkpoint discards every newer one, and
 *   releasing one releases the newer ones too.
 * - One path at a time: a connection holds one transaction, so branch paths cannot run in
 *   parallel on it.
 * - `reset()` is the one durable operation: it ends the transaction (discarding every
 *   checkpoint), truncates the chosen tables in one committed
 *   `TRUNCATE … RESTART IDENTITY CASCADE`, and opens a new transaction.
 *
 * @example
 * ```ts
 * const state = new PostgreSQLStateManager({
 *   connection_url: 'postgresql://qa:secret@localhost:5432/app',
 *   exclude_tables: ['countries'],
 * });
 * await state.connect();
 * try {
 *   await state.query("insert into orders (status) values ('created')");
 *   await state.checkpoint('order_created');
 *   await state.query("update orders set status = 'paid'");
 *   await state.rollback('order_created'); // status is 'created' again
 * } finally {
 *   await state.disconnect();
 * }
 * ```
 */
export class PostgreSQLStateManager extends BaseStateManager {
  /** SAVEPOINTs: a rollback undoes only what ran on this manager's connection. */
  readonly rollbackReach = 'own-connection';
  override readonly connectionUrl: string;
  readonly tablesToReset: readonly string[];
  readonly excludeTables: readonly string[];
  readonly lockTimeoutSeconds: number;
  #client: pg.Client | undefined;

  constructor(options: PostgreSQLStateManagerOptions | string) {
    const resolved = typeof options === 'string' ? { connection_url: options } : options;
    super(resolved);
    this.connectionUrl = checkPostgresUrl(resolved.connection_url);
    this.tablesToReset = Object.freeze(
      checkTableOption('tables_to_reset', resolved.tables_to_reset),
    );
    this.excludeTables = Object.freeze(checkTableOption('exclude_tables', resolved.exclude_tables));
    this.lockTimeoutSeconds = checkLockTimeout(resolved.lock_timeout);
  }

  /**
   * The connection holding the transaction. Only queries sent through it are protected by
   * checkpoints; hand it to in-process code under test. Throws before `connect()`.
   */
  get client(): pg.Client {
    this.requireConnected('client');
    return this.#client as pg.Client;
  }

  /** A query on {@link PostgreSQLStateManager.client}, inside the checkpointed transaction. */
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<Row>> {
    return this.client.query<Row>(text, values);
  }

  protected override async connectBackend(): Promise<void> {
    // Refused, wrong password, no such database, TLS, …: the typed error of the situation.
    const client = await openPgClient(this.connectionUrl, {
      applicationName: 'venomqa-savepoint',
      purpose: 'PostgreSQLStateManager.connect()',
      // An idle client whose server goes away emits 'error'; without a listener Node crashes.
      onError: (error) => this.connectionLost(error),
    });
    client.on('end', () => {
      if (this.#client === client)
        this.connectionLost(new Error('the server closed the connection'));
    });
    try {
      await client.query('BEGIN');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw new StateConnectionError(
        `PostgreSQLStateManager cannot start its transaction on ${redactUrl(this.connectionUrl)}: ${redactText(messageOf(error))}`,
        { cause: error, hint: 'Check connection_url and that the server is running.' },
      );
    }
    this.#client = client;
  }

  protected override async disconnectBackend(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client === undefined) return;
    try {
      await client.query('ROLLBACK').catch(() => undefined);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  protected override async createCheckpoint(_name: string, savepoint: string): Promise<void> {
    await this.client.query(`SAVEPOINT ${pg.escapeIdentifier(savepoint)}`);
  }

  protected override async rollbackToCheckpoint(_name: string, savepoint: string): Promise<void> {
    await this.client.query(`ROLLBACK TO SAVEPOINT ${pg.escapeIdentifier(savepoint)}`);
  }

  protected override async releaseCheckpoint(_name: string, savepoint: string): Promise<void> {
    await this.client.query(`RELEASE SAVEPOINT ${pg.escapeIdentifier(savepoint)}`);
  }

  protected override async resetState(): Promise<void> {
    const client = this.client;
    // The open transaction (and every SAVEPOINT in it) ends here: a TRUNCATE left uncommitted
    // would hold an exclusive lock the API under test waits on.
    await client.query('ROLLBACK');
    await client.query('BEGIN');
    let committed = false;
    try {
      // Without a limit, a session holding a lock on one of the tables makes reset() wait
      // forever, silently.
      await client.query(`set local lock_timeout = ${Math.round(this.lockTimeoutSeconds * 1000)}`);
      const { tables, keptMigrationTables } = await this.#resolveTables(client);
      if (tables.length > 0) {
        const list = tables.map(quoteTable).join(', ');
        try {
          await client.query(`TRUNCATE TABLE ${list} RESTART IDENTITY CASCADE`);
        } catch (error) {
          if (sqlState(error) !== POSTGRES_LOCK_TIMEOUT) throw error;
          await client.query('ROLLBACK');
          const holders = await postgresLockHolders(client, tables).catch(() => []);
          throw new TableLockedError(
            this.constructor.name,
            this.lockTimeoutSeconds,
            holders,
            error,
          );
        }
      }
      await client.query('COMMIT');
      committed = true;
      this.log(
        `Truncated ${tables.length} table${tables.length === 1 ? '' : 's'}: ${tables.map(displayTable).join(', ') || '(none)'}` +
          (keptMigrationTables.length === 0
            ? ''
            : `; migration tables kept: ${keptMigrationTables.join(', ')}`),
      );
    } finally {
      if (!committed) await client.query('ROLLBACK').catch(() => undefined);
      await client.query('BEGIN');
    }
  }

  /** The tables `reset()` truncates, checked to exist and not to drag an excluded table along. */
  async #resolveTables(
    client: pg.Client,
  ): Promise<{ tables: QualifiedTable[]; keptMigrationTables: string[] }> {
    const existing = await client.query<{ tablename: string }>(
      'select tablename from pg_catalog.pg_tables where schemaname = $1 order by tablename',
      [DEFAULT_SCHEMA],
    );
    const existingNames = existing.rows.map((row) => row.tablename);
    const keptMigrationTables =
      this.tablesToReset.length > 0 ? [] : migrationTablesIn(existingNames);
    const names = tablesToReset({
      existing: existingNames,
      tablesToReset: this.tablesToReset,
      excludeTables: this.excludeTables,
      schema: DEFAULT_SCHEMA,
    });
    const excluded = this.excludeTables.map(parseTable);
    const chosen: QualifiedTable[] = [];
    for (const table of names.map(parseTable)) {
      // `public.orders` and `orders` are one table: compare qualified names.
      if (excluded.some((t) => sameTable(t, table)) || chosen.some((t) => sameTable(t, table))) {
        continue;
      }
      chosen.push(table);
    }
    if (chosen.length === 0) return { tables: [], keptMigrationTables };

    // Every table TRUNCATE … CASCADE empties: the chosen ones and, transitively, every table
    // with a foreign key into them.
    const closure = await client.query<{ schema: string; table: string; chosen: boolean }>(
      `with recursive chosen as (
         select c.oid
           from unnest($1::text[], $2::text[]) as wanted(schema, name)
           join pg_catalog.pg_namespace n on n.nspname = wanted.schema
           join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relname = wanted.name
          where c.relkind in ('r', 'p')
       ), reached(oid) as (
         select oid from chosen
         union
         select con.conrelid from pg_catalog.pg_constraint con
           join reached on con.confrelid = reached.oid
          where con.contype = 'f'
       )
       select n.nspname as schema, c.relname as table, c.oid in (select oid from chosen) as chosen
         from reached join pg_catalog.pg_class c on c.oid = reached.oid
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace`,
      [chosen.map((t) => t.schema), chosen.map((t) => t.table)],
    );
    const found = closure.rows.filter((row) => row.chosen);
    const missing = chosen.filter((t) => !found.some((row) => sameTable(row, t)));
    if (missing.length > 0) {
      throw new StateConfigError(
        `reset() cannot truncate ${missing.map((t) => `'${displayTable(t)}'`).join(', ')}: no such table in ${redactUrl(this.connectionUrl)}`,
        { hint: 'Fix tables_to_reset: list existing tables, as `table` or `schema.table`.' },
      );
    }
    const dragged = closure.rows.filter(
      (row) => !row.chosen && excluded.some((t) => sameTable(t, row)),
    );
    if (dragged.length > 0) {
      throw new StateConfigError(
        `reset() would empty excluded table ${dragged.map((t) => `'${displayTable(t)}'`).join(', ')}: it has a foreign key into a table being truncated, and TRUNCATE … CASCADE empties it too`,
        {
          hint: 'Stop excluding it, or leave the table it references out of tables_to_reset.',
        },
      );
    }
    return { tables: chosen, keptMigrationTables };
  }
}

function checkPostgresUrl(url: unknown): string {
  if (typeof url !== 'string' || url === '') {
    throw new StateConfigError(
      'PostgreSQLStateManager needs connection_url, e.g. postgresql://user:password@localhost:5432/app',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new StateConfigError(`connection_url is not a URL: ${redactUrl(url)}`, { cause: error });
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new StateConfigError(
      `connection_url must start with postgresql:// or postgres://, got ${redactUrl(url)}`,
    );
  }
  return url;
}

/** `orders` → public.orders; `audit.events` → audit.events (split at the first dot). */
function parseTable(name: string): QualifiedTable {
  const dot = name.indexOf('.');
  return dot === -1
    ? { schema: DEFAULT_SCHEMA, table: name }
    : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}

function sameTable(a: QualifiedTable, b: QualifiedTable): boolean {
  return a.schema === b.schema && a.table === b.table;
}

function quoteTable(table: QualifiedTable): string {
  return `${pg.escapeIdentifier(table.schema)}.${pg.escapeIdentifier(table.table)}`;
}

function displayTable(table: QualifiedTable): string {
  return table.schema === DEFAULT_SCHEMA ? table.table : `${table.schema}.${table.table}`;
}
