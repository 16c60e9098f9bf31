import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { SQLSTATE, sqlState } from './postgres-error-codes.js';
import { DatabaseInUseError, type BlockingSession } from './snapshot-errors.js';

interface SessionRow {
  pid: number;
  /** When the listing ran (the drain's cutoff is its first listing's). */
  listed_at: string;
  backend_type: string | null;
  usename: string | null;
  application_name: string | null;
  client_addr: string | null;
}

/** Client sessions connected to `database`, as an in-use error names them. */
export async function blockingSessions(
  client: pg.ClientBase,
  database: string,
): Promise<BlockingSession[]> {
  return (await sessionsOn(client, database)).filter(isClient).map(toBlocking);
}

/** Autovacuum workers never block for good: PostgreSQL ends them itself, only slower. */
function isClient(row: SessionRow): boolean {
  return row.backend_type !== 'autovacuum worker';
}

async function sessionsOn(
  client: pg.ClientBase,
  database: string,
  cutoff: 'none' | 'listing' | { startedBefore: string } = 'none',
): Promise<SessionRow[]> {
  // Client backends, and autovacuum workers: PostgreSQL ends those itself before CREATE
  // DATABASE or a rename, but only after sleeping 100 ms, which lands in the window. A role
  // without pg_read_all_stats sees NULL as other roles' backend_type: count those too.
  // With a cutoff, client backends that started later (than this listing, for 'listing') are
  // left out (see drainSessions).
  const { rows } = await client.query<SessionRow>(
    `select pid, backend_type, usename, application_name, client_addr::text as client_addr,
            statement_timestamp()::text as listed_at
       from pg_stat_activity
      where datname = $1 and pid <> pg_backend_pid()
        and (backend_type = 'autovacuum worker'
             or ((backend_type = 'client backend' or backend_type is null)
                 and ($2::text is null or backend_start is null
                      or backend_start < (case when $2::text = 'listing' then statement_timestamp()
                                               else $2::timestamptz end))))`,
    [
      database,
      typeof cutoff === 'string' ? (cutoff === 'none' ? null : 'listing') : cutoff.startedBefore,
    ],
  );
  return rows;
}

/**
 * End the sessions on `database` and wait until they are gone. Call it right after locking new
 * connections out (`allow_connections false`): a backend started after that is refused by
 * PostgreSQL itself and ends on its own, so only backends that started before the drain are
 * ended and waited for. Waiting for the others too held the window at 200–500 ms while 20
 * clients reconnected as fast as they could, because one of them was always starting; the
 * rename after the drain copes with those still on their way out.
 */
export async function drainSessions(
  client: pg.ClientBase,
  database: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let startedBefore: string | undefined;
  const refused = new Set<number>();
  const asked = new Set<number>();
  let lastTerminate = 0;
  for (;;) {
    // A worker we may not end is left to PostgreSQL (it ends those before a rename).
    const listed = await sessionsOn(
      client,
      database,
      startedBefore === undefined ? 'listing' : { startedBefore },
    );
    startedBefore ??= listed[0]?.listed_at;
    const sessions = listed.filter((s) => isClient(s) || !refused.has(s.pid));
    if (sessions.length === 0) return;
    if (Date.now() >= deadline) {
      throw new DatabaseInUseError(database, sessions.filter(isClient).map(toBlocking));
    }
    // A session not asked yet (one that was starting up when connections were locked out) is
    // asked at once: waiting for the next round put 100 ms into the window. Those asked
    // already are asked again now and then, in case the first request crossed their start.
    const again = Date.now() - lastTerminate > 100;
    if (again) lastTerminate = Date.now();
    const ask = sessions
      .map((session) => session.pid)
      .filter((pid) => !refused.has(pid) && (!asked.has(pid) || again));
    for (const pid of ask) asked.add(pid);
    await terminate(client, ask, refused);
    const clients = sessions.filter(isClient);
    if (clients.length > 0 && clients.every((s) => refused.has(s.pid))) {
      throw new DatabaseInUseError(database, clients.map(toBlocking));
    }
    await sleep(2);
  }
}

/**
 * Ask `pids` to end, in one round trip: one by one took 20 round trips for a 20-connection
 * pool, 400 ms on a loaded machine. When one of them may not be ended (42501 aborts the whole
 * statement), they are asked one by one and the refusals recorded in `refused`.
 */
async function terminate(
  client: pg.ClientBase,
  pids: number[],
  refused: Set<number>,
): Promise<void> {
  if (pids.length === 0) return;
  try {
    await client.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [pids]);
    return;
  } catch (error) {
    if (sqlState(error) !== SQLSTATE.insufficientPrivilege) throw error;
  }
  for (const pid of pids) {
    try {
      await client.query('select pg_terminate_backend($1)', [pid]);
    } catch (error) {
      // Not allowed to end that session; it will be named in the error.
      if (sqlState(error) !== SQLSTATE.insufficientPrivilege) throw error;
      refused.add(pid);
    }
  }
}

function toBlocking(row: SessionRow): BlockingSession {
  return {
    pid: row.pid,
    user: row.usename,
    application: row.application_name,
    clientAddress: row.client_addr,
  };
}
