import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { redactText, redactUrl } from '../redaction/index.js';
import { messageOf } from '../errors/venomqa-error.js';
import { parseMySQLUrl, type MySQLConnectionSettings } from './mysql-url.js';
import { StateConfigError, StateConnectionError } from './state-errors.js';
import { BaseStateManager, type StateManagerOptions } from './state-manager.js';
import { checkTableOption, tablesToReset } from './tables-to-reset.js';

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
  readonly connectionUrl: string;
  /** The URL's settings (with the password), as given to `mysql2`. */
  readonly settings: Readonly<MySQLConnectionSettings>;
  readonly tablesToReset: readonly string[];
  readonly excludeTables: readonly string[];
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

  protected async connectBackend(): Promise<void> {
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
      throw new StateConnectionError(
        `MySQLStateManager cannot connect to ${redactUrl(this.connectionUrl)}: ${redactText(messageOf(error), [this.settings.password])}`,
        { cause: error, hint: 'Check connection_url and that the server is running.' },
      );
    }
    this.#connection = connection;
  }

  protected async disconnectBackend(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection === undefined) return;
    try {
      await connection.query('ROLLBACK').catch(() => undefined);
    } finally {
      await connection.end().catch(() => connection.destroy());
    }
  }

  protected async createCheckpoint(_name: string, savepoint: string): Promise<void> {
    await this.connection.query(`SAVEPOINT ${this.connection.escapeId(savepoint)}`);
  }

  protected async rollbackToCheckpoint(_name: string, savepoint: string): Promise<void> {
    await this.connection.query(`ROLLBACK TO SAVEPOINT ${this.connection.escapeId(savepoint)}`);
  }

  protected async releaseCheckpoint(_name: string, savepoint: string): Promise<void> {
    await this.connection.query(`RELEASE SAVEPOINT ${this.connection.escapeId(savepoint)}`);
  }

  protected async resetState(): Promise<void> {
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
      if (tables.length === 0) return;
      // MySQL TRUNCATE takes one table and refuses a table other tables reference, unless
      // foreign-key checks are off for this session.
      await connection.query('SET FOREIGN_KEY_CHECKS = 0');
      try {
        for (const table of tables)
          await connection.query(`TRUNCATE TABLE ${connection.escapeId(table)}`);
      } finally {
        await connection.query('SET FOREIGN_KEY_CHECKS = 1');
      }
      this.log(
        `Truncated ${tables.length} table${tables.length === 1 ? '' : 's'}: ${tables.join(', ')}`,
      );
    } finally {
      await connection.query('START TRANSACTION');
    }
  }
}
