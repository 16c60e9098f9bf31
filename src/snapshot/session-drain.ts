import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { DatabaseInUseError, type BlockingSession } from './snapshot-errors.js';

interface SessionRow {
  pid: number;
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

async function sessionsOn(client: pg.ClientBase, database: string): Promise<SessionRow[]> {
  // Client backends, and autovacuum workers: PostgreSQL ends those itself before CREATE
  // DATABASE or a rename, but only after sleeping 100 ms, which lands in the window. A role
  // without pg_read_all_stats sees NULL as other roles' backend_type: count those too.
  const { rows } = await client.query<SessionRow>(
    `select pid, backend_type, usename, application_name, client_addr::text as client_addr
       from pg_stat_activity
      where datname = $1 and pid <> pg_backend_pid()
        and (backend_type in ('client backend', 'autovacuum worker') or backend_type is null)`,
    [database],
  );
  return rows;
}

export async function drainSessions(
  client: pg.ClientBase,
  database: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const refused = new Set<number>();
  const asked = new Set<number>();
  let lastTerminate = 0;
  for (;;) {
    // A worker we may not end is left to PostgreSQL (it ends those before a rename).
    const sessions = (await sessionsOn(client, database)).filter(
      (s) => isClient(s) || !refused.has(s.pid),
    );
    if (sessions.length === 0) return;
    if (Date.now() >= deadline) {
      throw new DatabaseInUseError(database, sessions.filter(isClient).map(toBlocking));
    }
    // A session not asked yet (one that was starting up when connections were locked out) is
    // asked at once: waiting for the next round put 100 ms into the window. Those asked
    // already are asked again now and then, in case the first request crossed their start.
    const again = Date.now() - lastTerminate > 100;
    if (again) lastTerminate = Date.now();
    for (const session of sessions) {
      if (refused.has(session.pid) || (asked.has(session.pid) && !again)) continue;
      asked.add(session.pid);
      try {
        await client.query('select pg_terminate_backend($1)', [session.pid]);
      } catch (error) {
        // 42501: not allowed to end that session; it will be named in the error.
        if ((error as { code?: string }).code !== '42501') throw error;
        refused.add(session.pid);
      }
    }
    const clients = sessions.filter(isClient);
    if (clients.length > 0 && clients.every((s) => refused.has(s.pid))) {
      throw new DatabaseInUseError(database, clients.map(toBlocking));
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
