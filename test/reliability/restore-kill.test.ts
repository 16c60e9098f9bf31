import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresServer } from '../../src/server/postgres-server.js';
import { queryOnce } from '../../src/server/wait-for-postgres.js';
import { startTestPostgres } from '../integration/state/embedded-server.js';
import { runCli } from '../integration/support/run-cli.js';
import { CliChild } from './support/cli-child.js';
import { iterations, printFigures } from './support/figures.js';
import { venomqaDatabases } from './support/leftovers.js';
import { cliEnv, tempProject } from './support/temp-project.js';

/** Rows in the user database when its snapshot was taken, and after the user's later writes. */
const SNAPSHOT_ROWS = 100;
const LATER_ROWS = 500;

/** The user's own comment on their database: a restore keeps it, a kill must not lose it. */
const USER_COMMENT = "the user's QA database";

interface TargetState {
  present: boolean;
  acceptsConnections: boolean;
  rows: number | undefined;
  comment: string | null;
}

describe('crash: a restore killed with SIGKILL never loses the user database', () => {
  let server: PostgresServer;
  let admin: pg.Client;
  let project: { dir: string; remove: () => Promise<void> };
  let env: Record<string, string>;

  const targetState = async (): Promise<TargetState> => {
    const { rows } = await admin.query<{ datallowconn: boolean; comment: string | null }>(
      `select datallowconn, shobj_description(oid, 'pg_database') as comment
         from pg_database where datname = 'userdb'`,
    );
    const row = rows[0];
    if (!row) return { present: false, acceptsConnections: false, rows: undefined, comment: null };
    const state = {
      present: true,
      acceptsConnections: false,
      rows: undefined,
      comment: row.comment,
    };
    if (!row.datallowconn) return state;
    const counted = await queryOnce<{ n: string }>(
      server.urlFor('userdb'),
      'select count(*)::text as n from t',
    );
    return { ...state, acceptsConnections: true, rows: Number(counted[0]?.n) };
  };

  /** The user database back to LATER_ROWS rows, whatever the last iteration left. */
  const resetTarget = async (): Promise<void> => {
    await admin.query('drop database if exists userdb with (force)');
    await admin.query('create database userdb');
    await admin.query(`comment on database userdb is ${pg.escapeLiteral(USER_COMMENT)}`);
    await queryOnce(
      server.urlFor('userdb'),
      `create table t (id int primary key); insert into t select generate_series(1, ${LATER_ROWS})`,
    );
  };

  beforeAll(async () => {
    server = await startTestPostgres();
    admin = new pg.Client(server.adminUrl);
    admin.on('error', () => undefined);
    await admin.connect();
    await admin.query('create database userdb');
    await queryOnce(
      server.urlFor('userdb'),
      `create table t (id int primary key); insert into t select generate_series(1, ${SNAPSHOT_ROWS});
       -- ~15 MB, so that copying the snapshot takes long enough to be caught in the act.
       create table pad as select g as id, repeat('x', 40) as filler from generate_series(1, 250000) g;`,
    );
    project = await tempProject('restore-kill', { 'venomqa.yaml': 'journeys: [journeys]\n' });
    env = cliEnv({ VENOMQA_DB_URL: server.urlFor('userdb') });
    const created = await runCli(['snapshot', 'create', 'good'], project.dir, env);
    expect(created.exitCode, created.stderr).toBe(0);
  });

  afterAll(async () => {
    await admin?.end().catch(() => undefined);
    await server?.stop();
    await project?.remove();
  });

  /** `venomqa prune`, then the state of the target: it must be there, open, with either content. */
  const pruneAndCheck = async (): Promise<{ before: TargetState; after: TargetState }> => {
    const before = await targetState();
    const pruned = await runCli(['prune'], project.dir, env);
    expect(pruned.exitCode, pruned.stderr).toBe(0);
    const after = await targetState();
    return { before, after };
  };

  const describeState = (s: TargetState): string =>
    !s.present ? 'missing' : !s.acceptsConnections ? 'refusing connections' : `${s.rows} rows`;

  it('killed between the two renames of the swap (the second held up by sessions on the copy)', async () => {
    const rounds = iterations(5, 2);
    const outcomes: string[] = [];
    const finals: TargetState[] = [];
    for (let round = 0; round < rounds; round += 1) {
      await resetTarget();
      const holders: pg.Client[] = [];
      const child = new CliChild(['snapshot', 'restore', 'good', '--force'], project.dir, env);
      let caught: boolean;
      try {
        // Stop the CLI while the server makes its temporary copy, so that sessions can be put
        // on the copy before the CLI goes on: its rename to the target's name then waits for
        // them (PostgreSQL waits 5 s, then fails) after the target's own rename was done.
        const copying = await poll(
          admin,
          `query ilike 'create database "vqa_t_%' and state = 'active'`,
          60_000,
        );
        expect(copying, `the restore's copy was never seen: ${child.stderr}`).toBe(true);
        child.kill('SIGSTOP');
        const temp = await waitForDatabase(admin, 'vqa_t_');
        for (let i = 0; i < 2; i += 1) {
          const holder = new pg.Client(server.urlFor(temp));
          holder.on('error', () => undefined);
          await holder.connect();
          holders.push(holder);
        }
        child.kill('SIGCONT');
        caught = await poll(
          admin,
          `query ilike 'alter database%rename to "userdb"' and state = 'active' and now() - query_start > interval '50 ms'`,
          30_000,
        );
        child.kill('SIGKILL');
        await child.exited;
        // The killed client's rename goes on waiting for the sessions on the copy, then fails.
        await waitForNoRename(admin);
      } finally {
        await Promise.all(holders.map((h) => h.end().catch(() => undefined)));
      }
      expect(caught, `the rename to userdb was never seen waiting: ${child.stderr}`).toBe(true);
      const { before, after } = await pruneAndCheck();
      outcomes.push(`${describeState(before)} -> after prune ${describeState(after)}`);
      finals.push(after);
    }
    printFigures(
      'crash',
      `restore killed between its renames, ${rounds} times: target right after the kill -> after prune: ${outcomes.join('; ')}`,
    );
    for (const after of finals) expectIntact(after);
  });

  it('killed at random moments of a restore, 20 times: the target is always there afterwards', async () => {
    const rounds = iterations(20, 6);
    const tally = new Map<string, number>();
    const finals: TargetState[] = [];
    let leftovers = 0;
    for (let round = 0; round < rounds; round += 1) {
      await resetTarget();
      const child = new CliChild(['snapshot', 'restore', 'good', '--force'], project.dir, env);
      // Kill somewhere between the temporary copy appearing and the restore's end.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && child.stdout === '') {
        const { rowCount } = await admin.query(
          `select 1 from pg_database where starts_with(datname, 'vqa_t_')`,
        );
        if ((rowCount ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
      child.kill('SIGKILL');
      const exit = await child.exited;
      await waitForNoRename(admin);
      const { before, after } = await pruneAndCheck();
      const key = `${exit.signal === 'SIGKILL' ? 'killed' : 'finished'}: ${describeState(before)} -> ${describeState(after)}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
      leftovers += (await venomqaDatabases(server.adminUrl)).filter(
        (d) => d.kind !== 'snapshot',
      ).length;
      finals.push(after);
    }
    printFigures(
      'crash',
      `restore killed at a random moment, ${rounds} times: ${[...tally].map(([k, n]) => `${n}x ${k}`).join('; ')}; ${leftovers} run databases left after prune`,
    );
    for (const after of finals) expectIntact(after);
    expect(leftovers).toBe(0);
  });
});

/** The user database is there, accepts connections, and holds one of its two contents. */
function expectIntact(state: TargetState): void {
  expect(state.present).toBe(true);
  expect(state.acceptsConnections).toBe(true);
  expect([SNAPSHOT_ROWS, LATER_ROWS]).toContain(state.rows);
  expect(state.comment).toBe(USER_COMMENT);
}

/** Until a session other than `admin`'s matches `condition` (SQL on pg_stat_activity); false on timeout. */
async function poll(admin: pg.Client, condition: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rowCount } = await admin.query(
      `select 1 from pg_stat_activity where pid <> pg_backend_pid() and ${condition}`,
    );
    if ((rowCount ?? 0) > 0) return true;
  }
  return false;
}

/** The name of the first database starting with `prefix`, once there is one. */
async function waitForDatabase(admin: pg.Client, prefix: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { rows } = await admin.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1)',
      [prefix],
    );
    if (rows[0]) return rows[0].datname;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no database starting with ${prefix} appeared`);
}

/** Until no session runs a rename (a killed client's statement runs on until it ends). */
async function waitForNoRename(admin: pg.Client): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const { rowCount } = await admin.query(
      `select 1 from pg_stat_activity where query ilike 'alter database%' and state = 'active' and pid <> pg_backend_pid()`,
    );
    if ((rowCount ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
