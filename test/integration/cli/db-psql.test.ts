import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { runCli } from '../support/run-cli.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const DIST = pathToFileURL(join(REPO, 'dist/index.js')).href;
const FIXTURES = join(REPO, 'test/fixtures');

const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
};

/**
 * `venomqa db psql` on the managed database, on a temporary clone of a snapshot, and on the
 * clone `--keep-failed` kept for a failed path (found by its journey/path); `db status` listing
 * what is on the server; and psql missing from PATH.
 */
describe('venomqa db psql and db status (embedded managed database)', () => {
  let project = '';
  let noPsqlBin = '';

  beforeAll(async () => {
    // Inside the repository, so migrate.mjs's `import 'pg'` finds the project's node_modules.
    project = await mkdtemp(join(FIXTURES, 'setup/.tmp-psql-'));
    await cp(join(FIXTURES, 'setup/migrations'), join(project, 'migrations'), { recursive: true });
    await cp(join(FIXTURES, 'setup/migrate.mjs'), join(project, 'migrate.mjs'));
    await cp(join(FIXTURES, 'api/echo-api.mjs'), join(project, 'api.mjs'));
    await writeFile(
      join(project, 'venomqa.yaml'),
      [
        'server:',
        '  provider: embedded',
        'setup:',
        '  command: [node, migrate.mjs]',
        '  inputs: [migrations]',
        'api:',
        '  mode: process',
        '  command: [node, api.mjs]',
        '',
      ].join('\n'),
    );
    await mkdir(join(project, 'journeys'));
    await writeFile(
      join(project, 'journeys/j.journey.mjs'),
      `import { Branch, Checkpoint, Journey, Path, Step } from '${DIST}';
export default Journey({ name: 'j', steps: [
  Checkpoint({ name: 'start' }),
  Branch({ checkpointName: 'start', paths: [
    Path({ name: 'fine', steps: [Step({ name: 'ok', action: (api) => api.get('/health') })] }),
    Path({ name: 'broken', steps: [Step({ name: 'missing', action: (api) => api.get('/nope') })] }),
  ] }),
] });
`,
    );
    noPsqlBin = await mkdtemp(join(tmpdir(), 'venomqa-no-psql-'));
    await symlink(process.execPath, join(noPsqlBin, 'node'));
    const up = await runCli(['db', 'up'], project, env);
    expect(up.exitCode, up.stderr).toBe(0);
  }, 300_000);

  afterAll(async () => {
    if (project) {
      await runCli(['db', 'down', '--force'], project, env);
      await rm(project, { recursive: true, force: true });
    }
    if (noPsqlBin) await rm(noPsqlBin, { recursive: true, force: true });
  });

  it('opens psql on the working database, passing arguments through', async () => {
    const result = await runCli(
      ['db', 'psql', '--', '-Atc', 'select current_database()'],
      project,
      env,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('venomqa');
    expect(result.stderr).toMatch(
      /psql on postgresql:\/\/venomqa:\*\*\*@127\.0\.0\.1:\d+\/venomqa/,
    );
    // psql's own exit code is the command's.
    const failing = await runCli(
      ['db', 'psql', '--', '-c', 'select * from no_such_table'],
      project,
      env,
    );
    expect(failing.exitCode).toBe(1);
  });

  it('opens the clone kept for a failed path, found by journey/path or path alone', async () => {
    const run = await runCli(['run', '--keep-failed'], project, env);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toContain('look inside with `venomqa db psql --path j/broken`');

    for (const path of ['j/broken', 'broken']) {
      const result = await runCli(
        ['db', 'psql', '--path', path, '--', '-Atc', 'select body from notes'],
        project,
        env,
      );
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout.trim()).toBe('seeded by setup');
      expect(result.stderr).toMatch(
        /psql on vqa_c_\w+, the clone kept for failed path 'j\/broken'/,
      );
    }

    const missing = await runCli(['db', 'psql', '--path', 'j/brokn'], project, env);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(
      "error VENOMQA_KEPT_CLONE_NOT_FOUND: Kept clone of failed path 'j/brokn' not found; kept for: 'j/broken'; did you mean 'j/broken'?",
    );
  });

  it('opens a temporary clone of a snapshot and drops it when psql exits', async () => {
    const url = (await runCli(['db', 'url', '--show-password'], project, env)).stdout.trim();
    await queryOnce(
      url,
      "create table marks (m text); insert into marks values ('in the snapshot')",
    );
    expect((await runCli(['snapshot', 'create', 'marked'], project, env)).exitCode).toBe(0);
    const result = await runCli(
      [
        'db',
        'psql',
        '--snapshot',
        'marked',
        '--',
        '-Atc',
        "select current_database() || ' ' || m from marks",
      ],
      project,
      env,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const [clone, ...rest] = result.stdout.trim().split(' ');
    expect(clone).toMatch(/^vqa_c_/);
    expect(rest.join(' ')).toBe('in the snapshot');
    const left = await queryOnce<{ n: number }>(
      url,
      'select count(*)::int as n from pg_database where datname = $1',
      [clone],
    );
    expect(left[0]?.n).toBe(0);
  });

  it('db status lists the snapshots, kept clones and setup templates with their sizes', async () => {
    const status = await runCli(['db', 'status'], project, env);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain('provider: embedded');
    expect(status.stdout).toMatch(/^snapshots: 1 \([\d.]+ [kM]B\): marked$/m);
    expect(status.stdout).toMatch(
      /^clones: \d+ \([\d.]+ [kM]B\), kept for failed paths: j\/broken$/m,
    );
    expect(status.stdout).toMatch(/^setup templates: 1 \([\d.]+ [kM]B\)$/m);
    expect(status.stdout).toMatch(/^disk used by venomqa's databases: [\d.]+ [kMG]B$/m);
    const json = JSON.parse((await runCli(['db', 'status', '--json'], project, env)).stdout) as {
      databases: { setupTemplates: { count: number } };
    };
    expect(json.databases.setupTemplates.count).toBe(1);
  });

  it('says how to install psql when it is not on PATH, before cloning anything', async () => {
    const result = await runCli(['db', 'psql', '--snapshot', 'marked'], project, {
      ...env,
      PATH: noPsqlBin,
    });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(
      `error VENOMQA_PSQL_NOT_FOUND: psql was not found (looked in ${noPsqlBin})`,
    );
    expect(result.stderr).toContain('sudo apt-get install postgresql-client');
  });
});
