import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { redactText, redactUrl } from '../redaction/index.js';
import { messageOf } from '../errors/venomqa-error.js';
import { connectionFailure } from '../server/connection-failure.js';
import { parseMySQLUrl, type MySQLConnectionSettings } from './mysql-url.js';
import { StateConfigError, StateConnectionError } from './state-errors.js';
import { BaseStateManager, type StateManagerOptions } from './base-state-manager.js';
import { MYSQL_LOCK_TIMEOUT, TableLockedError, type LockHolder } from './table-locked-error.js';
import {
  checkLockTimeout,
  checkTableOption,
  migrationTablesIn,
  tablesToReset,
} from './tables-to-reset.js';

/** Options of {@link MySQLStateManager}, named as VenomQA documents them. */
export interface MySQLStateManagerOptions extends StateManagerOptions {
  /** `mysql://user:password@host:3306/database?charset=utf8mb4` (or `mariadb://…`). */
  connection_url: string;
  /**
   * Tables `reset()` truncates. Default: every base table of the URL's database except
   * migration tables.
   */
  tables_to_reset?: readonly string[];
  /** Tables `reset()` never truncates. */
  exclude_tables?: readonly string[];
  /**
   * Seconds `reset()` waits for a table's metadata lock before failing with a
   * {@link TableLockedError} naming the sessions that may hold it. Default 10.
   */
  lock_timeout?: number;
}

/**
 * SAVEPOINT backend for MySQL and MariaDB (`db_backend: mysql` or `mariadb`), with `mysql2`.
 * `connect()` turns autocommit off and starts a transaction; checkpoints are
 * `SAVEPOINT chk_<name>`, rolled back and released as in {@link PostgreSQLStateManager}, with
 * the same limits (only this connection's work is protected, newest-first, one path at a time)
 * and one more: MySQL commits implicitly before any DDL (`CREATE`, `ALTER`, `DROP`,
 * `TRUNCATE`), which ends the transaction and every checkpoint in it. Savepoint names ignore
 * case in MySQL, so do checkpoint names here (`Order` and `order` are one checkpoint).
 *
 * `reset()` rolls back, then truncates the chosen tables (each `TRUNCATE` resets
 * AUTO_INCREMENT) with `FOREIGN_KEY_CHECKS=0`, restored to 1 even when a truncate fails.
 *
 * @example
 * ```ts
 * const state = new MySQLStateManager({
 *   connection_url: 'mysql://qa:secret@127.0.0.1:3306/app?charset=utf8mb4',
 *   tables_to_reset: ['orders', 'order_items'],
 * });
 * await state.connect();
 * try {
 *   await state.query("insert into orders (status) values ('created')");
 *   await state.checkpoint('order_created');
 *   await state.query("update orders set status = 'paid'");
 *   await state.rollback('order_created');
 * } finally {
 *   await state.disconnect();
 * }
 * ```
 */
export class MySQLStateManager extends BaseStateManager {
  /** SAVEPOINTs: a rollback undoes only what ran on this manager's connection. */
  readonly rollbackReach = 'own-connection';
  override readonly connectionUrl: string;
  /** The URL's settings (with the password), as given to `mysql2`. */
  readonly settings: Readonly<MySQLConnectionSettings>;
  readonly tablesToReset: readonly string[];
  readonly excludeTables: readonly string[];
  readonly lockTimeoutSeconds: number;
  #connection: Connection | undefined;

  constructor(options: MySQLStateManagerOptions | string) {
    const resolved = typeof options === 'string' ? { connection_url: options } : options;
    super(resolved);
    this.connectionUrl = resolved.connection_url;
    this.settings = Object.freeze(parseMySQLUrl(resolved.connection_url));
    this.tablesToReset = Object.freeze(
      checkTableOption('tables_to_reset', resolved.tables_to_reset),
    );
    this.excludeTables = Object.freeze(checkTableOption('exclude_tables', resolved.exclude_tables));
    this.lockTimeoutSeconds = checkLockTimeout(resolved.lock_timeout);
  }

  /** The connection holding the transaction; only its queries are protected by checkpoints. */
  get connection(): Connection {
    this.requireConnected('connection');
    return this.#connection as Connection;
  }

  /** A query on {@link MySQLStateManager.connection}, inside the checkpointed transaction. */
  async query<T extends RowDataPacket[] | ResultSetHeader = RowDataPacket[]>(
    sql: string,
    values?: unknown[],
  ): Promise<T> {
    const [result] = await this.connection.query<T>(sql, values);
    return result;
  }

  protected override sameCheckpoint(a: string, b: string): boolean {
    return a.toLowerCase() === b.toLowerCase();
  }

  protected override async connectBackend(): Promise<void> {
    // mysql2 loads with the first connection, not with every import of venomqa/state.
    const { createConnection } = await import('mysql2/promise');
    let connection: Connection | undefined;
    try {
      connection = await createConnection({
        ...this.settings,
        ssl: this.settings.ssl,
        multipleStatements: false,
        supportBigNumbers: true,
      });
      const opened = connection;
      // A dropped connection emits 'error'; without a listener Node crashes.
      opened.on('error', (error: unknown) => {
        if (this.#connection === opened) this.connectionLost(error);
      });
      await opened.query('SET autocommit = 0');
      await opened.query('START TRANSACTION');
    } catch (error) {
      await connection?.end().catch(() => undefined);
      const failure = connectionFailure(error, {
        url: this.connectionUrl,
        kind: 'mysql',
        purpose: 'MySQLStateManager.connect()',
      });
      if (failure !== undefined) throw failure;
      throw new StateConnectionError(
        `MySQLStateManager cannot connect to ${redactUrl(this.connectionUrl)}: ${redactText(messageOf(error), [this.settings.password])}`,
        { cause: error, hint: 'Check connection_url and that the server is running.' },
      );
    }
    this.#connection = connection;
  }

  protected override async disconnectBackend(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection === undefined) return;
    try {
      await connection.query('ROLLBACK').catch(() => undefined);
    } finally {
      await connection.end().catch(() => connection.destroy());
    }
  }

  protected override async createCheckpoint(_name: string, savepoint: string): Promise<void> {
    await this.connection.query(`SAVEPOINT ${this.connection.escapeId(savepoint)}`);
  }

  protected override async rollbackToCheckpoint(_name: string, savepoint: string): Promise<void> {
    await this.connection.query(`ROLLBACK TO SAVEPOINT ${this.connection.escapeId(savepoint)}`);
  }

  protected override async releaseCheckpoint(_name: string, savepoint: string): Promise<void> {
    await this.connection.query(`RELEASE SAVEPOINT ${this.connection.escapeId(savepoint)}`);
  }

  protected override async resetState(): Promise<void> {
    const connection = this.connection;
    await connection.query('ROLLBACK');
    try {
      const [rows] = await connection.query<RowDataPacket[]>(
        `select table_name as name from information_schema.tables
          where table_schema = database() and table_type = 'BASE TABLE' order by table_name`,
      );
      const existing = rows.map((row) => String(row.name));
      const tables = tablesToReset({
        existing,
        tablesToReset: this.tablesToReset,
        excludeTables: this.excludeTables,
        schema: this.settings.database,
      });
      const missing = tables.filter((table) => !table.includes('.') && !existing.includes(table));
      if (missing.length > 0) {
        throw new StateConfigError(
          `reset() cannot truncate ${missing.map((t) => `'${t}'`).join(', ')}: no such table in database '${this.settings.database}'`,
          { hint: 'Fix tables_to_reset: list existing tables.' },
        );
      }
      const kept = this.tablesToReset.length > 0 ? [] : migrationTablesIn(existing);
      const keptText = kept.length === 0 ? '' : `; migration tables kept: ${kept.join(', ')}`;
      if (tables.length === 0) {
        this.log(`Truncated 0 tables${keptText}`);
        return;
      }
      // MySQL TRUNCATE takes one table and refuses a table other tables reference, unless
      // foreign-key checks are off for this session. It waits for a metadata lock other open
      // transactions on the table hold: without a limit, for a year (lock_wait_timeout).
      await connection.query('SET @venomqa_lock_wait = @@SESSION.lock_wait_timeout');
      await connection.query('SET SESSION lock_wait_timeout = ?', [
        Math.max(1, Math.round(this.lockTimeoutSeconds)),
      ]);
      await connection.query('SET FOREIGN_KEY_CHECKS = 0');
      try {
        for (const table of tables) {
          try {
            await connection.query(`TRUNCATE TABLE ${connection.escapeId(table)}`);
          } catch (error) {
            if ((error as { code?: unknown }).code !== MYSQL_LOCK_TIMEOUT) throw error;
            const holders = await mysqlLockHolders(connection, table).catch(() => []);
            throw new TableLockedError(
              this.constructor.name,
              this.lockTimeoutSeconds,
              holders,
              error,
            );
          }
        }
      } finally {
        await connection.query('SET FOREIGN_KEY_CHECKS = 1');
        await connection.query('SET SESSION lock_wait_timeout = @venomqa_lock_wait');
      }
      this.log(
        `Truncated ${tables.length} table${tables.length === 1 ? '' : 's'}: ${tables.join(', ')}${keptText}`,
      );
    } finally {
      await connection.query('START TRANSACTION');
    }
  }
}

/**
 * The sessions on this database that may hold `table`'s metadata lock: those with an open
 * transaction (which keeps the lock of every table it touched until it ends) or a statement
 * running. MySQL/MariaDB do not expose metadata locks by default, so these are candidates;
 * without the PROCESS privilege (needed for innodb_trx) every other session of this user on
 * the database is one.
 */
async function mysqlLockHolders(connection: Connection, table: string): Promise<LockHolder[]> {
  let rows: RowDataPacket[];
  try {
    [rows] = await connection.query<RowDataPacket[]>(
      `select p.id, p.user, p.host, p.command, p.time, t.trx_started, t.trx_id is not null as in_trx
         from information_schema.processlist p
         left join information_schema.innodb_trx t on t.trx_mysql_thread_id = p.id
        where p.id <> connection_id() and p.db = database()
          and (t.trx_id is not null or p.command <> 'Sleep')
        order by p.id`,
    );
  } catch {
    [rows] = await connection.query<RowDataPacket[]>(
      `select p.id, p.user, p.host, p.command, p.time, null as trx_started, null as in_trx
         from information_schema.processlist p
        where p.id <> connection_id() and p.db = database()
        order by p.id`,
    );
  }
  return rows.map((row) => ({
    pid: Number(row.id),
    user: row.user === null ? null : String(row.user),
    application: row.host === null ? null : `host ${String(row.host)}`,
    queryStart:
      row.trx_started instanceof Date
        ? row.trx_started.toISOString()
        : new Date(Date.now() - Number(row.time ?? 0) * 1000).toISOString(),
    state:
      row.in_trx === null
        ? `${String(row.command)} (may have a transaction open)`
        : Number(row.in_trx) === 1
          ? `transaction open (${String(row.command)})`
          : String(row.command),
    tables: [table],
  }));
}
