import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { withDatabase } from '../../../src/server/postgres-url.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { TemplateStateManager } from '../../../src/state/template-state-manager.js';
import { REPO } from '../runner/shop-fixture.js';
import { startTestPostgres } from '../state/embedded-server.js';
import { runCli } from '../support/run-cli.js';

const DIST = pathToFileURL(join(REPO, 'dist/index.js')).href;

const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
};

describe('a db_url naming the postgres database (the official image default)', () => {
  let server: PostgresServer;
  let url: string;
  let project: string;

  const items = async (): Promise<string[]> =>
    (await queryOnce<{ v: string }>(url, 'select v from items order by id')).map((r) => r.v);

  beforeAll(async () => {
    server = await startTestPostgres();
    url = withDatabase(server.adminUrl, 'postgres');
    await queryOnce(
      url,
      "create table items (id serial primary key, v text); insert into items (v) values ('a')",
    );
    project = await mkdtemp(join(tmpdir(), 'venomqa-postgres-db-'));
    await chmod(project, 0o755);
    await writeFile(
      join(project, 'venomqa.yaml'),
      'api:\n  mode: process\n  command: [node, -e, "0"]\n',
    );
  });

  afterAll(async () => {
    await server?.stop();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('snapshot create, restore and delete work: venomqa sessions do not block it', async () => {
    const withUrl = { ...env, VENOMQA_DB_URL: url };
    const created = await runCli(['snapshot', 'create', 'one-item'], project, withUrl);
    expect(created.exitCode, created.stderr).toBe(0);
    await queryOnce(url, "insert into items (v) values ('b')");
    expect(await items()).toEqual(['a', 'b']);
    const restored = await runCli(['snapshot', 'restore', 'one-item', '--force'], project, withUrl);
    expect(restored.exitCode, restored.stderr).toBe(0);
    expect(await items()).toEqual(['a']);
    expect(
      (await runCli(['snapshot', 'delete', 'one-item', '--force'], project, withUrl)).exitCode,
    ).toBe(0);
    // The system templates stay out of reach.
    const refused = await runCli(
      ['snapshot', 'restore', 'one-item', '--db', 'template1', '--force'],
      project,
      withUrl,
    );
    expect(refused.exitCode).toBe(2);
  });

  it('the template backend (what venomqa run uses with db_url) checkpoints and rolls it back', async () => {
    const state = new TemplateStateManager({ connection_url: url });
    await state.connect();
    try {
      await state.checkpoint('one');
      await queryOnce(url, "insert into items (v) values ('c')");
      await state.rollback('one');
      expect(await items()).toEqual(['a']);
      await queryOnce(url, "insert into items (v) values ('d')");
      await state.reset();
      expect(await items()).toEqual(['a']);
    } finally {
      await state.disconnect();
    }
    const left = await queryOnce(
      url,
      "select datname from pg_database where starts_with(datname, 'vqa_')",
    );
    expect(left).toEqual([]);
  });
});

describe('venomqa run --allow-remote', () => {
  let project: string;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'venomqa-allow-remote-'));
    await chmod(project, 0o755);
    await writeFile(
      join(project, 'venomqa.yaml'),
      [
        'db_url: postgresql://qa:pw@db.venomqa.invalid:5432/app',
        'safety:',
        '  allow_remote: true',
        'api:',
        '  mode: process',
        '  command: [node, -e, "0"]',
        '',
      ].join('\n'),
    );
    await mkdir(join(project, 'journeys'));
    await writeFile(
      join(project, 'journeys', 'mark.journey.mjs'),
      `import { Journey, Checkpoint } from '${DIST}';
       export default Journey({ name: 'mark', steps: [Checkpoint({ name: 'start' })] });`,
    );
  });

  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('without the flag, a non-loopback server is refused before venomqa connects, and the hint names the flag', async () => {
    const result = await runCli(['run'], project, env);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain(
      'error VENOMQA_PROTECTED_DATABASE: Refusing to use the snapshot engine on db.venomqa.invalid',
    );
    expect(result.stderr).toContain('--allow-remote');
  });

  it('with the flag (and safety.allow_remote), run goes on to the server', async () => {
    const result = await runCli(['run', '--allow-remote'], project, env);
    // The server does not exist: what is left is the environment's answer, not a refusal.
    expect(result.stderr).toContain('error VENOMQA_HOST_NOT_FOUND');
    expect(result.exitCode).toBe(3);
  });
});
