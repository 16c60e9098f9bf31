import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { DatabaseInUseError, type BlockingSession } from './snapshot-errors.js';

interface SessionRow {
  pid: number;
  usename: string | null;
  application_name: string | null;
  client_addr: string | null;
}

/** Client sessions connected to `database`, as an in-use error names them. */
export async function blockingSessions(
  client: pg.ClientBase,
  database: string,
): Promise<BlockingSession[]> {
  return (await sessionsOn(client, database)).map(toBlocking);
}

async function sessionsOn(client: pg.ClientBase, database: string): Promise<SessionRow[]> {
  // Client backends only: CREATE DATABASE ends autovacuum workers on the template by itself.
  // A role without pg_read_all_stats sees NULL as other roles' backend_type: count those too.
  const { rows } = await client.query<SessionRow>(
    `select pid, usename, application_name, client_addr::text as client_addr
       from pg_stat_activity
      where datname = $1 and pid <> pg_backend_pid()
        and (backend_type = 'client backend' or backend_type is null)`,
    [database],
  );
  return rows;
}

/**
 * End every session on `database` and wait until they are gone. Connections must already be
 * locked out (`ALLOW_CONNECTIONS false`), or new ones would replace the ended ones.
 *
 * Terminates without `pg_terminate_backend(pid, timeout)`'s wait and polls instead: the waiting
 * form held the window at ~500 ms, polling at ~20 ms (DESIGN.md, measured).
 */
export async function drainSessions(
  client: pg.ClientBase,
  database: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const refused = new Set<number>();
  let lastTerminate = 0;
  for (;;) {
    const sessions = await sessionsOn(client, database);
    if (sessions.length === 0) return;
    if (Date.now() >= deadline) {
      throw new DatabaseInUseError(database, sessions.map(toBlocking));
    }
    // Ask again now and then: a session may have been starting up when we first asked.
    if (Date.now() - lastTerminate > 100) {
      lastTerminate = Date.now();
      for (const session of sessions) {
        if (refused.has(session.pid)) continue;
        try {
          await client.query('select pg_terminate_backend($1)', [session.pid]);
        } catch (error) {
          // 42501: not allowed to end that session; it will be named in the error.
          if ((error as { code?: string }).code !== '42501') throw error;
          refused.add(session.pid);
        }
      }
      if (sessions.every((s) => refused.has(s.pid))) {
        throw new DatabaseInUseError(database, sessions.map(toBlocking));
      }
    }
    await sleep(2);
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
