import mysql from 'mysql2/promise';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MySQLStateManager } from '../../../src/state/mysql-state-manager.js';
import { parseMySQLUrl } from '../../../src/state/mysql-url.js';
import { CheckpointNotFoundError, StateConfigError } from '../../../src/state/state-errors.js';
import { TableLockedError } from '../../../src/state/table-locked-error.js';
import { AuthenticationFailedError } from '../../../src/server/connection-errors.js';
import { MYSQL_URL, mysqlAvailable } from './state-services.js';

const available = await mysqlAvailable();

describe.skipIf(!available)('MySQLStateManager (MariaDB)', () => {
  const url = MYSQL_URL ?? '';
  const managers: MySQLStateManager[] = [];
  let admin: mysql.Connection;

  function manager(
    options: Omit<
      ConstructorParameters<typeof MySQLStateManager>[0] & object,
      'connection_url'
    > = {},
  ): MySQLStateManager {
    const state = new MySQLStateManager({ connection_url: url, ...options });
    managers.push(state);
    return state;
  }

  async function count(table: string): Promise<number> {
    const [rows] = await admin.query<mysql.RowDataPacket[]>(
      `select count(*) as n from ${mysql.escapeId(table)}`,
    );
    return Number(rows[0]?.n);
  }

  async function dropAllTables(): Promise<void> {
    const [rows] = await admin.query<mysql.RowDataPacket[]>(
      "select table_name as name from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE'",
    );
    await admin.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const row of rows) await admin.query(`drop table ${mysql.escapeId(String(row.name))}`);
    await admin.query('SET FOREIGN_KEY_CHECKS = 1');
  }

  beforeAll(async () => {
    admin = await mysql.createConnection({ ...parseMySQLUrl(url), multipleStatements: true });
    return async () => {
      await admin.end();
    };
  });

  afterEach(async () => {
    try {
      for (const state of managers.splice(0)) await state.disconnect();
    } finally {
      await dropAllTables();
    }
  });

  async function createSchema(): Promise<void> {
    await dropAllTables();
    await admin.query(`
      create table users (id int auto_increment primary key, name varchar(50) not null) engine=InnoDB;
      create table orders (id int auto_increment primary key, user_id int not null,
        status varchar(20), foreign key (user_id) references users(id)) engine=InnoDB;
      create table countries (code char(2) primary key) engine=InnoDB;
      create table schema_migrations (version varchar(20) primary key) engine=InnoDB;
      create table knex_migrations (id int auto_increment primary key, name varchar(50)) engine=InnoDB;
      insert into users (name) values ('ada'), ('grace');
      insert into orders (user_id, status) values (1, 'created');
      insert into countries values ('FR'), ('JP');
      insert into schema_migrations values ('20240101');
      insert into knex_migrations (name) values ('init');
    `);
  }

  it('checkpoints, rolls back (newest-first) and releases with SAVEPOINTs', async () => {
    await createSchema();
    const state = manager();
    await state.connect();
    expect(state.isConnected()).toBe(true);
    await state.query("update orders set status = 'paid' where id = 1");
    await state.checkpoint('order_paid');
    await state.query("update orders set status = 'refunded' where id = 1");
    await state.checkpoint('order_refunded');
    await state.query("insert into orders (user_id, status) values (2, 'created')");
    await state.rollback('order_paid');
    const rows = await state.query('select id, status from orders order by id');
    expect(rows.map((row) => ({ ...row }))).toEqual([{ id: 1, status: 'paid' }]);
    expect(state.checkpoints).toEqual(['order_paid']);
    await expect(state.rollback('order_refunded')).rejects.toBeInstanceOf(CheckpointNotFoundError);
    await state.release('order_paid');
    expect(state.checkpoints).toEqual([]);
    await expect(state.query('rollback to savepoint chk_order_paid')).rejects.toMatchObject({
      code: 'ER_SP_DOES_NOT_EXIST',
    });
  });

  it('keeps its work inside its transaction: others do not see it, disconnect discards it', async () => {
    await createSchema();
    const state = manager();
    await state.connect();
    await state.query("insert into users (name) values ('linus')");
    expect(await count('users')).toBe(2);
    await state.disconnect();
    expect(state.isConnected()).toBe(false);
    expect(await count('users')).toBe(2);
  });

  it('treats checkpoint names that differ in case as one, as MySQL does', async () => {
    await createSchema();
    const state = manager();
    await state.connect();
    await state.checkpoint('step');
    await state.query("insert into users (name) values ('between')");
    await state.checkpoint('STEP');
    expect(state.checkpoints).toEqual(['STEP']);
    await state.query("insert into users (name) values ('after')");
    await state.rollback('Step');
    expect(await state.query('select * from users')).toHaveLength(3);
  });

  it('reset() truncates every table except excludes and migration tables, with foreign keys and AUTO_INCREMENT handled', async () => {
    await createSchema();
    const state = manager({ exclude_tables: ['countries'] });
    await state.connect();
    await state.checkpoint('before');
    await state.reset();
    expect(state.checkpoints).toEqual([]);
    expect(await count('users')).toBe(0);
    expect(await count('orders')).toBe(0);
    expect(await count('countries')).toBe(2);
    expect(await count('schema_migrations')).toBe(1);
    expect(await count('knex_migrations')).toBe(1);
    const [checks] = await state.connection.query<mysql.RowDataPacket[]>(
      'select @@foreign_key_checks as fk',
    );
    expect(Number(checks[0]?.fk)).toBe(1);
    const inserted = await state.query<mysql.ResultSetHeader>(
      "insert into users (name) values ('first')",
    );
    expect(inserted.insertId).toBe(1);
    // A transaction is open again: checkpoints work after reset.
    await state.checkpoint('after');
    await state.query('delete from users');
    await state.rollback('after');
    expect(await state.query('select * from users')).toHaveLength(1);
  });

  it('reset() says in verbose mode which tables it emptied and which migration tables it kept', async () => {
    await createSchema();
    const lines: string[] = [];
    const state = manager({ verbose: true, logger: (line) => lines.push(line) });
    await state.connect();
    await state.reset();
    expect(lines).toContain(
      'Truncated 3 tables: countries, orders, users; migration tables kept: knex_migrations, schema_migrations',
    );
  });

  it('reset() gives up on a metadata lock another session holds and names it', async () => {
    await createSchema();
    const other = await mysql.createConnection(parseMySQLUrl(url));
    try {
      await other.query('start transaction');
      await other.query('select count(*) from orders');
      const [[row]] = await other.query<mysql.RowDataPacket[]>('select connection_id() as id');
      const otherId = Number(row?.id);
      const state = manager({ lock_timeout: 1, tables_to_reset: ['orders'] });
      await state.connect();
      const error = await state.reset().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TableLockedError);
      const locked = error as TableLockedError;
      expect(locked.message).toContain('MySQLStateManager.reset() waited 1 s for a lock');
      expect(locked.message).toContain('relation "orders" is locked');
      expect(locked.message).toContain(`pid ${otherId} (user venomqa`);
      expect(locked.hint).toContain(`KILL ${otherId}`);
      expect(await count('orders')).toBe(1);
      await other.query('rollback');
      await state.reset();
      expect(await count('orders')).toBe(0);
    } finally {
      await other.end();
    }
  });

  it('reset() with tables_to_reset truncates only those, even a parent others reference', async () => {
    await createSchema();
    const state = manager({ tables_to_reset: ['users'] });
    await state.connect();
    await state.reset();
    expect(await count('users')).toBe(0);
    expect(await count('orders')).toBe(1);
    expect(await count('countries')).toBe(2);
  });

  it('reset() names a table of tables_to_reset that does not exist, and truncates nothing', async () => {
    await createSchema();
    const state = manager({ tables_to_reset: ['orders', 'order_itmes'] });
    await state.connect();
    const error = await state.reset().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateConfigError);
    expect((error as Error).message).toContain("reset() cannot truncate 'order_itmes'");
    expect(await count('orders')).toBe(1);
    await state.checkpoint('still_usable');
  });

  it('fails to connect with a typed error that hides the password', async () => {
    const wrong = new URL(url);
    wrong.password = 'hunter2-secret';
    const state = new MySQLStateManager(wrong.toString());
    managers.push(state);
    const error = await state.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationFailedError);
    expect((error as Error).message).toContain('Authentication failed for mysql://');
    expect((error as Error).message).not.toContain('hunter2-secret');
    expect(state.isConnected()).toBe(false);
  });
});
