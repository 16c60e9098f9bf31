import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { PostgreSQLStateManager } from '../../../src/state/postgres-savepoint-state-manager.js';
import {
  CheckpointNotFoundError,
  StateConfigError,
  StateNotConnectedError,
} from '../../../src/state/state-errors.js';
import { TableLockedError } from '../../../src/state/table-locked-error.js';
import { AuthenticationFailedError } from '../../../src/server/connection-errors.js';
import pg from 'pg';
import { freshDatabase, startTestPostgres } from './embedded-server.js';

let server: PostgresServer;
let database: Awaited<ReturnType<typeof freshDatabase>>;
const managers: PostgreSQLStateManager[] = [];

function manager(
  options: Omit<
    ConstructorParameters<typeof PostgreSQLStateManager>[0] & object,
    'connection_url'
  > = {},
): PostgreSQLStateManager {
  const state = new PostgreSQLStateManager({ connection_url: database.url, ...options });
  managers.push(state);
  return state;
}

async function count(table: string): Promise<number> {
  const rows = await queryOnce<{ n: string }>(database.url, `select count(*) as n from ${table}`);
  return Number(rows[0]?.n);
}

const SCHEMA = `
  create table users (id serial primary key, name text not null);
  create table orders (id serial primary key, user_id int not null references users(id), status text);
  create table countries (code text primary key);
  create table alembic_version (version_num text primary key);
  create table migrations (id serial primary key, name text);
  create table "we""ird" (id serial primary key);
  create schema audit;
  create table audit.events (id serial primary key);
  insert into users (name) values ('ada'), ('grace');
  insert into orders (user_id, status) values (1, 'created');
  insert into countries values ('FR'), ('JP');
  insert into alembic_version values ('abc123');
  insert into migrations (name) values ('init');
  insert into "we""ird" default values;
  insert into audit.events default values;
`;

beforeAll(async () => {
  server = await startTestPostgres();
});

afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  database = await freshDatabase(server);
  await queryOnce(database.url, SCHEMA);
});

afterEach(async () => {
  try {
    for (const state of managers.splice(0)) await state.disconnect();
  } finally {
    await database.drop();
  }
});

describe('PostgreSQLStateManager (SAVEPOINT)', () => {
  it('rolls back to a checkpoint the work done on its connection', async () => {
    const state = manager();
    await state.connect();
    expect(state.isConnected()).toBe(true);
    await state.query("update orders set status = 'paid' where id = 1");
    await state.checkpoint('order_paid');
    await state.query("update orders set status = 'refunded' where id = 1");
    await state.query("insert into orders (user_id, status) values (2, 'created')");
    await state.rollback('order_paid');
    const rows = await state.query<{ id: number; status: string }>(
      'select id, status from orders order by id',
    );
    expect(rows.rows).toEqual([{ id: 1, status: 'paid' }]);
    // The checkpoint survives its own rollback: a second path starts from it again.
    await state.query('delete from orders');
    await state.rollback('order_paid');
    expect((await state.query('select 1 from orders')).rowCount).toBe(1);
  });

  it('holds its work in one open transaction: others do not see it, disconnect discards it', async () => {
    const state = manager();
    await state.connect();
    await state.query("insert into users (name) values ('linus')");
    await state.checkpoint('user_created');
    expect(await count('users')).toBe(2);
    await state.disconnect();
    expect(state.isConnected()).toBe(false);
    expect(await count('users')).toBe(2);
  });

  it('cannot undo what another connection committed (the documented limit)', async () => {
    const state = manager();
    await state.connect();
    await state.checkpoint('before_api_write');
    await queryOnce(database.url, "insert into countries values ('DE')");
    await state.rollback('before_api_write');
    expect(await count('countries')).toBe(3);
  });

  it('rolls back newest-first: an older rollback discards the newer checkpoints', async () => {
    const state = manager();
    await state.connect();
    await state.checkpoint('one');
    await state.query("insert into users (name) values ('two')");
    await state.checkpoint('two');
    await state.query("insert into users (name) values ('three')");
    await state.checkpoint('three');
    await state.rollback('one');
    expect(state.checkpoints).toEqual(['one']);
    expect((await state.query('select * from users')).rowCount).toBe(2);
    const error = await state.rollback('three').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointNotFoundError);
    expect((error as Error).message).toMatch(
      /^Checkpoint 'three' not found; existing checkpoints \(oldest first\): 'one'\n/,
    );
  });

  it('release keeps the data and drops the checkpoint and the newer ones', async () => {
    const state = manager();
    await state.connect();
    await state.checkpoint('one');
    await state.query("insert into users (name) values ('kept')");
    await state.checkpoint('two');
    await state.release('one');
    expect(state.checkpoints).toEqual([]);
    expect((await state.query("select * from users where name = 'kept'")).rowCount).toBe(1);
    await expect(state.rollback('two')).rejects.toBeInstanceOf(CheckpointNotFoundError);
    // The SAVEPOINT is really gone on the server, not just from the list.
    await expect(state.query('rollback to savepoint "chk_one"')).rejects.toMatchObject({
      code: '3B001',
    });
  });

  it('keeps checkpoint names case-sensitive (quoted SAVEPOINT names)', async () => {
    const state = manager();
    await state.connect();
    await state.checkpoint('Step');
    await state.query("insert into users (name) values ('between')");
    await state.checkpoint('step');
    await state.query("insert into users (name) values ('after')");
    await state.rollback('Step');
    expect((await state.query('select * from users')).rowCount).toBe(2);
  });

  it('reset() truncates every public table except exclude_tables and migration tables, restarting identities', async () => {
    const state = manager({ exclude_tables: ['countries'] });
    await state.connect();
    await state.checkpoint('before_reset');
    await state.reset();
    expect(state.checkpoints).toEqual([]);
    // Committed: another connection sees it.
    expect(await count('users')).toBe(0);
    expect(await count('orders')).toBe(0);
    expect(await count('"we""ird"')).toBe(0);
    expect(await count('countries')).toBe(2);
    expect(await count('alembic_version')).toBe(1);
    expect(await count('migrations')).toBe(1);
    expect(await count('audit.events')).toBe(1);
    const inserted = await state.query<{ id: number }>(
      "insert into users (name) values ('first') returning id",
    );
    expect(inserted.rows).toEqual([{ id: 1 }]);
    // Still in a transaction after reset: checkpoints work again.
    await state.checkpoint('after_reset');
    await state.query('delete from users');
    await state.rollback('after_reset');
    expect((await state.query('select * from users')).rowCount).toBe(1);
  });

  it('reset() says in verbose mode which tables it emptied and which migration tables it kept', async () => {
    const lines: string[] = [];
    const state = manager({ verbose: true, logger: (line) => lines.push(line) });
    await state.connect();
    await state.reset();
    expect(lines).toContain(
      'Truncated 4 tables: countries, orders, users, we"ird; migration tables kept: alembic_version, migrations',
    );
  });

  it('reset() gives up on a lock another session holds and names that session (relation "users" is locked)', async () => {
    const other = new pg.Client({
      connectionString: database.url,
      application_name: 'psql-by-hand',
    });
    other.on('error', () => undefined);
    await other.connect();
    try {
      // An open transaction that read the table holds a lock TRUNCATE must wait for.
      await other.query('begin');
      await other.query('select count(*) from users');
      const otherPid = (await other.query<{ pid: number }>('select pg_backend_pid() as pid'))
        .rows[0]?.pid;
      const state = manager({ lock_timeout: 1 });
      await state.connect();
      const error = await state.reset().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TableLockedError);
      const locked = error as TableLockedError;
      expect(locked.code).toBe('VENOMQA_TABLE_LOCKED');
      expect(locked.exitCode).toBe(3);
      expect(locked.message).toContain('PostgreSQLStateManager.reset() waited 1 s for a lock');
      expect(locked.message).toContain('relation "users" is locked');
      expect(locked.message).toContain(`pid ${otherPid} (user venomqa, application 'psql-by-hand'`);
      expect(locked.message).toContain('idle in transaction');
      expect(locked.hint).toContain(`select pg_terminate_backend(${otherPid})`);
      expect(locked.holders.map((h) => h.pid)).toEqual([otherPid]);
      // Nothing was emptied, and the manager still works.
      expect(await count('orders')).toBe(1);
      await other.query('rollback');
      await state.reset();
      expect(await count('orders')).toBe(0);
    } finally {
      await other.end();
    }
  });

  it('reset() with tables_to_reset truncates only those (and what CASCADE must), even across schemas', async () => {
    const state = manager({ tables_to_reset: ['orders', 'audit.events'] });
    await state.connect();
    await state.reset();
    expect(await count('orders')).toBe(0);
    expect(await count('audit.events')).toBe(0);
    expect(await count('users')).toBe(2);
    expect(await count('countries')).toBe(2);
  });

  it('reset() refuses to empty an excluded table through CASCADE, and changes nothing', async () => {
    const state = manager({ exclude_tables: ['orders'] });
    await state.connect();
    const error = await state.reset().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateConfigError);
    expect((error as Error).message).toContain("would empty excluded table 'orders'");
    expect(await count('users')).toBe(2);
    expect(await count('orders')).toBe(1);
    await state.checkpoint('still_usable');
  });

  it('reset() names a table of tables_to_reset that does not exist', async () => {
    const state = manager({ tables_to_reset: ['orders', 'order_itmes'] });
    await state.connect();
    await expect(state.reset()).rejects.toThrow("reset() cannot truncate 'order_itmes'");
    expect(await count('orders')).toBe(1);
  });

  it('refuses calls before connect() and after the server ends the connection', async () => {
    const state = manager();
    await expect(state.checkpoint('a')).rejects.toBeInstanceOf(StateNotConnectedError);
    expect(() => state.client).toThrow(StateNotConnectedError);
    await state.connect();
    const pid = (await state.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
    await queryOnce(server.adminUrl, 'select pg_terminate_backend($1)', [pid]);
    await expect.poll(() => state.isConnected()).toBe(false);
    const error = await state.checkpoint('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateNotConnectedError);
    expect((error as Error).message).toContain('the connection was lost');
    await state.connect();
    await state.checkpoint('a');
  });

  it('fails to connect with a typed error that hides the password', async () => {
    const url = new URL(database.url);
    url.password = 'hunter2-secret';
    const wrong = new PostgreSQLStateManager(url.toString());
    managers.push(wrong);
    const error = await wrong.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationFailedError);
    expect((error as AuthenticationFailedError).code).toBe('VENOMQA_AUTHENTICATION_FAILED');
    expect((error as Error).message).toContain(`127.0.0.1:${server.port}`);
    expect((error as Error).message).not.toContain('hunter2-secret');
    expect(wrong.isConnected()).toBe(false);
  });
});
