import type pg from 'pg';
import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError } from '../errors/venomqa-error.js';

/** PostgreSQL's lock_not_available: a statement gave up waiting under `lock_timeout`. */
export const POSTGRES_LOCK_TIMEOUT = '55P03';
/** mysql2's code for MySQL/MariaDB error 1205 (`lock_wait_timeout` ran out). */
export const MYSQL_LOCK_TIMEOUT = 'ER_LOCK_WAIT_TIMEOUT';

/** Default seconds `reset()` waits for a table lock before naming who holds it. */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 10;

/** A session that holds (or, for MySQL, may hold) a lock on a table `reset()` must empty. */
export interface LockHolder {
  pid: number;
  user: string | null;
  application: string | null;
  /** When its current (or last) query started, ISO 8601. */
  queryStart: string | null;
  /** `active`, `idle in transaction`, … (MySQL: the command). */
  state: string | null;
  /** The locked tables, as `reset()` names them. */
  tables: readonly string[];
}

/**
 * `reset()` gave up waiting for a table lock (the documentation's `relation "users" is
 * locked`): the message names every session holding one, with what to do about it.
 */
export class TableLockedError extends VenomQAError {
  readonly code = 'VENOMQA_TABLE_LOCKED';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly holders: readonly LockHolder[];

  constructor(
    backend: string,
    timeoutSeconds: number,
    holders: readonly LockHolder[],
    cause: unknown,
  ) {
    const tables = [...new Set(holders.flatMap((h) => h.tables))];
    const what =
      tables.length === 0
        ? 'a table it must empty is locked'
        : tables.map((t) => `relation "${t}" is locked`).join(', ');
    const who = holders
      .map(
        (h) =>
          `pid ${h.pid} (user ${h.user ?? '?'}, application '${h.application ?? ''}', ` +
          `query started ${h.queryStart ?? '?'}, ${h.state ?? 'state unknown'})`,
      )
      .join('; ');
    const kill = (pid: number): string =>
      backend === 'MySQLStateManager' ? `KILL ${pid}` : `select pg_terminate_backend(${pid})`;
    const ends = holders.map((h) => `\`${kill(h.pid)}\``).join(', ');
    super(
      `${backend}.reset() waited ${timeoutSeconds} s for a lock and gave up: ${what}` +
        (who === '' ? ' (the holder ended before it could be named)' : ` by ${who}`),
      {
        cause,
        hint:
          "Finish or roll back that session's transaction" +
          (ends === '' ? '' : `, or end it (${ends})`) +
          '; raise lock_timeout (state_options.lock_timeout in venomqa.yaml) to wait longer.',
      },
    );
    this.holders = holders;
  }
}

/**
 * The sessions (other than `client`'s) holding a lock on any of `tables` or on a table with a
 * foreign key into them (TRUNCATE … CASCADE empties those too). Call it outside the failed
 * transaction.
 */
export async function postgresLockHolders(
  client: pg.ClientBase,
  tables: readonly { schema: string; table: string }[],
): Promise<LockHolder[]> {
  const { rows } = await client.query<{
    pid: number;
    usename: string | null;
    application_name: string | null;
    query_start: Date | null;
    state: string | null;
    tables: string[];
  }>(
    `with recursive wanted as (
       select c.oid
         from unnest($1::text[], $2::text[]) as w(schema, name)
         join pg_catalog.pg_namespace n on n.nspname = w.schema
         join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relname = w.name
     ), reached(oid) as (
       select oid from wanted
       union
       select con.conrelid from pg_catalog.pg_constraint con
         join reached on con.confrelid = reached.oid
        where con.contype = 'f'
     )
     select a.pid, a.usename, a.application_name, a.query_start, a.state,
            array_agg(distinct case when n.nspname = 'public' then c.relname
                                    else n.nspname || '.' || c.relname end) as tables
       from pg_catalog.pg_locks l
       join reached on reached.oid = l.relation
       join pg_catalog.pg_class c on c.oid = l.relation
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       join pg_catalog.pg_stat_activity a on a.pid = l.pid
      where l.granted and l.pid <> pg_backend_pid() and l.database = (
              select oid from pg_catalog.pg_database where datname = current_database())
      group by a.pid, a.usename, a.application_name, a.query_start, a.state
      order by a.pid`,
    [tables.map((t) => t.schema), tables.map((t) => t.table)],
  );
  return rows.map((row) => ({
    pid: row.pid,
    user: row.usename,
    application: row.application_name,
    queryStart: row.query_start?.toISOString() ?? null,
    state: row.state,
    tables: row.tables,
  }));
}
