import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../src/server/postgres-url.js';
import { queryOnce } from '../../src/server/wait-for-postgres.js';
import { dockerAvailable } from '../integration/support/services.js';
import { runCli } from '../integration/support/run-cli.js';
import { CliChild } from './support/cli-child.js';
import { iterations, printFigures } from './support/figures.js';
import {
  containersOwnedBy,
  databasesOfRuns,
  processesOwnedBy,
  venomqaDatabases,
} from './support/leftovers.js';
import {
  DIST,
  REPO,
  cliEnv,
  shopConfig,
  shopJourney,
  shopSetup,
  tempProject,
} from './support/temp-project.js';

const PRECIOUS_ROWS = 321;
const hasDocker = await dockerAvailable();

/** When to kill: a line on stderr (the run with -v), then a random delay below `maxDelayMs`. */
interface Phase {
  name: string;
  args: string[];
  marker: RegExp;
  maxDelayMs: number;
  /** Journeys on the user's database (db_url): checkpoints lock it out, a restore ends it. */
  onUserDatabase?: boolean;
  docker?: boolean;
}

const PHASES: Phase[] = [
  // --no-cache: setup runs every time, and its template replaces the cached one by a swap.
  { name: 'setup', args: ['--no-cache'], marker: /setup: running/, maxDelayMs: 1500 },
  { name: 'clone', args: [], marker: /Created checkpoint: chk_ordered/, maxDelayMs: 80 },
  {
    name: 'path',
    args: [],
    marker: /Rolled back to checkpoint: chk_ordered for shop\/p/,
    maxDelayMs: 500,
  },
  {
    name: 'restore of the user database',
    args: [],
    marker: /✓ shop › p4|✓ journey shop/,
    maxDelayMs: 150,
    onUserDatabase: true,
  },
  ...(hasDocker
    ? [
        {
          name: 'path, API in Docker',
          args: [],
          marker: /Rolled back to checkpoint: chk_ordered for shop\/p/,
          maxDelayMs: 800,
          docker: true,
        },
      ]
    : []),
];

describe('crash: `venomqa run` killed with SIGKILL at random moments, then `venomqa prune`', () => {
  let project: { dir: string; remove: () => Promise<void> };
  let adminUrl = '';
  const env = cliEnv({
    VENOMQA_BASE_IMAGE: process.env.VENOMQA_BASE_IMAGE,
    VENOMQA_SERVER_NETWORK: process.env.VENOMQA_SERVER_NETWORK ?? 'host',
  });

  beforeAll(async () => {
    project = await tempProject('run-kill', {
      'venomqa.yaml': shopConfig([
        '  image: venomqa/shop-api:latest',
        `  build: ${JSON.stringify(join(REPO, 'examples/shop'))}`,
        `  dockerfile: ${JSON.stringify(join(REPO, 'images/shop/Dockerfile'))}`,
        '  build_args:',
        '    BASE_IMAGE: ${VENOMQA_BASE_IMAGE:-debian:trixie-slim}',
        '  env:',
        "    DATABASE_URL: '{database_url}'",
        "    PORT: '{port}'",
        "    HOST: '{host}'",
        ...shopSetup(1500),
      ]),
      'journeys/shop.journey.mjs': shopJourney({
        name: 'shop',
        paths: ['p1', 'p2', 'p3', 'p4'],
        pathDelayMs: 300,
      }),
      // The live run: its paths wait until the test lets them finish.
      'live/live.journey.mjs': liveJourney(),
    });
    const up = await runCli(['db', 'up', '--json', '--show-password'], project.dir, env);
    expect(up.exitCode, up.stderr).toBe(0);
    adminUrl = withDatabase((JSON.parse(up.stdout) as { url: string }).url, 'postgres');
    await queryOnce(adminUrl, 'create database userdb');
    await queryOnce(
      withDatabase(adminUrl, 'userdb'),
      `create table precious (id int primary key); insert into precious select generate_series(1, ${PRECIOUS_ROWS})`,
    );
    // A first run makes the setup template, so that later runs clone it as users' runs do.
    const first = await runCli(['run'], project.dir, env);
    expect(first.exitCode, first.stderr).toBe(0);
  });

  afterAll(async () => {
    if (project) {
      await runCli(['db', 'down', '--force'], project.dir, env);
      await project.remove();
    }
  });

  it('20 kills during setup, clones, paths and restores: prune leaves nothing of them, and nothing of a live run is touched', async () => {
    const perPhase = Math.max(1, Math.round(iterations(20, PHASES.length) / PHASES.length));
    const liveRunId = `rel-live-${randomBytes(3).toString('hex')}`;
    const live = new CliChild(['run', '-v', '--report-dir', 'reports-live', 'live'], project.dir, {
      ...env,
      VENOMQA_RUN_ID: liveRunId,
    });
    const killedRunIds: string[] = [];
    const killedPids = new Set<number>();
    const kills: string[] = [];
    try {
      expect(
        await live.waitFor(/Rolled back to checkpoint: chk_ordered for live\/w2/, 120_000),
        live.stderr,
      ).toBe(true);
      for (const phase of PHASES) {
        for (let i = 0; i < perPhase; i += 1) {
          const runId = `rel-killed-${randomBytes(3).toString('hex')}`;
          const child = new CliChild(['run', '-v', ...phase.args], project.dir, {
            ...env,
            VENOMQA_RUN_ID: runId,
            ...(phase.onUserDatabase ? { VENOMQA_DB_URL: withDatabase(adminUrl, 'userdb') } : {}),
            ...(phase.docker ? { VENOMQA_API_MODE: 'docker' } : {}),
          });
          killedRunIds.push(runId);
          killedPids.add(child.pid);
          const reached = await child.waitFor(phase.marker, 180_000);
          expect(reached, child.stderr).toBe(true);
          const delay = Math.round(Math.random() * phase.maxDelayMs);
          await new Promise((resolve) => setTimeout(resolve, delay));
          child.kill('SIGKILL');
          const exit = await child.exited;
          kills.push(
            `${phase.name} +${delay} ms${exit.signal === 'SIGKILL' ? '' : ' (had ended)'}`,
          );
        }
      }
      // What the killed runs left, and what the live run has, before prune.
      const liveDatabasesBefore = (await databasesOfRuns(adminUrl, [liveRunId])).map((d) => d.name);
      const liveApisBefore = (await processesOwnedBy(new Set([live.pid]))).map((p) => p.pid);
      const left = {
        databases: (await databasesOfRuns(adminUrl, killedRunIds)).length,
        processes: (await processesOwnedBy(killedPids)).length,
        containers: (await containersOwnedBy(killedPids)).length,
      };
      const pruned = await runCli(['prune', '--json'], project.dir, env);
      expect(pruned.exitCode, pruned.stderr).toBe(0);
      const after = {
        databases: (await databasesOfRuns(adminUrl, killedRunIds)).map((d) => d.name),
        processes: (await processesOwnedBy(killedPids)).map((p) => p.command),
        containers: await containersOwnedBy(killedPids),
      };
      const liveDatabasesAfter = (await databasesOfRuns(adminUrl, [liveRunId])).map((d) => d.name);
      const liveApisAfter = (await processesOwnedBy(new Set([live.pid]))).map((p) => p.pid);
      const userdb = await userDatabaseState(adminUrl);
      printFigures(
        'crash',
        `${kills.length} runs killed (${kills.join(', ')}); left before prune: ${left.databases} databases, ${left.processes} API/setup processes, ${left.containers} containers; ` +
          `after prune: ${after.databases.length} databases, ${after.processes.length} processes, ${after.containers.length} containers; ` +
          `live run: ${liveDatabasesBefore.length} -> ${liveDatabasesAfter.filter((d) => liveDatabasesBefore.includes(d)).length} of its databases, ${liveApisBefore.length} -> ${liveApisAfter.length} APIs; ` +
          `user database ${userdb}`,
      );
      expect(after.databases).toEqual([]);
      expect(after.processes).toEqual([]);
      expect(after.containers).toEqual([]);
      for (const name of liveDatabasesBefore) expect(liveDatabasesAfter).toContain(name);
      expect(liveApisAfter.sort()).toEqual(liveApisBefore.sort());
      expect(userdb).toBe(`accepting connections, ${PRECIOUS_ROWS} rows`);

      // The live run was never disturbed: let its paths finish, and it passes.
      await writeFile(join(project.dir, 'live-may-finish'), '');
      const liveExit = await live.exited;
      expect(liveExit.exitCode, liveExit.stderr).toBe(0);
      expect(await databasesOfRuns(adminUrl, [liveRunId])).toEqual([]);
      const templates = (await venomqaDatabases(adminUrl)).filter((d) => d.kind === 'template');
      expect(templates).toHaveLength(1);
    } finally {
      live.kill('SIGKILL');
      await live.exited;
    }
  });
});

/** Whether the user database is there and open, and how many of its rows remain. */
async function userDatabaseState(adminUrl: string): Promise<string> {
  const rows = await queryOnce<{ datallowconn: boolean }>(
    adminUrl,
    `select datallowconn from pg_database where datname = 'userdb'`,
  );
  if (!rows[0]) return 'missing';
  if (!rows[0].datallowconn) return 'refusing connections';
  const counted = await queryOnce<{ n: string }>(
    withDatabase(adminUrl, 'userdb'),
    'select count(*)::text as n from precious',
  );
  return `accepting connections, ${counted[0]?.n} rows`;
}

/** Two paths that wait (polling for a file in the project folder) until the test lets them go. */
function liveJourney(): string {
  return `
import { existsSync } from 'node:fs';
import { Journey, Step, Checkpoint, Branch, Path } from '${DIST}';
const wait = (name) => Path({ name, steps: [Step({ name: 'wait', action: async (api) => {
  while (!existsSync('live-may-finish')) await new Promise((resolve) => setTimeout(resolve, 100));
  return api.get('/health');
} })] });
export default Journey({ name: 'live', steps: [
  Step({ name: 'health', action: (api) => api.get('/health') }),
  Checkpoint({ name: 'ordered' }),
  Branch({ checkpointName: 'ordered', paths: [wait('w1'), wait('w2')] }),
] });
`;
}
