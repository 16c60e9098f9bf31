import { isProcessAlive } from '../../../src/process-liveness.js';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { LABEL } from '../../../src/docker/labels.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { runCli } from '../support/run-cli.js';
import { dockerAvailable } from '../support/services.js';

const hasDocker = await dockerAvailable();

/** The environment a user's shell would give; VENOMQA_* only where a test sets it. */
function userEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
    VENOMQA_BASE_IMAGE: process.env.VENOMQA_BASE_IMAGE,
    VENOMQA_SERVER_NETWORK: process.env.VENOMQA_SERVER_NETWORK ?? 'host',
    ...extra,
  };
}

let project: string;
beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'venomqa-cli-test-'));
  // mkdtemp makes a private folder; a project folder made with mkdir is open to other users,
  // which the embedded server's `postgres` user needs in order to reach .venomqa/embedded.
  await chmod(project, 0o755);
});
afterEach(async () => {
  // Whatever a failed assertion left running goes down with the project.
  await runCli(['db', 'down', '--force'], project, userEnv());
  await rm(project, { recursive: true, force: true });
});

async function lifecycle(provider: 'embedded' | 'docker'): Promise<{ id: string }> {
  // A password of its own: no developer's running `venomqa db` has this configuration, so a
  // new container is started (one of the same configuration would be reused).
  await writeFile(
    join(project, 'venomqa.yaml'),
    `server:\n  provider: ${provider}\n  password: lifecycle-${randomBytes(6).toString('hex')}\n`,
  );
  const env = userEnv();

  const up = await runCli(['db', 'up', '--json'], project, env);
  expect(up.stderr).toContain(`Started ${provider} PostgreSQL`);
  expect(up.exitCode).toBe(0);
  const started = JSON.parse(up.stdout) as { url: string; started: boolean; container?: string };
  expect(started.started).toBe(true);
  expect(started.url).toMatch(/^postgresql:\/\/venomqa:\*\*\*@127\.0\.0\.1:\d+\/venomqa$/);

  // A later, separate invocation finds the same server and its data.
  const url = (await runCli(['db', 'url', '--show-password'], project, env)).stdout.trim();
  expect(url).not.toContain('***');
  await queryOnce(url, 'create table kept (n int); insert into kept values (42)');
  const again = await runCli(['db', 'up', '--json'], project, env);
  expect(JSON.parse(again.stdout)).toMatchObject({ started: false, url: started.url });
  expect(await queryOnce(url, 'select n from kept')).toEqual([{ n: 42 }]);

  const status = await runCli(['db', 'status'], project, env);
  expect(status.exitCode).toBe(0);
  expect(status.stdout).toContain('status: running');
  expect(status.stdout).toContain(`provider: ${provider}`);
  const password = new URL(url).password;
  for (const output of [up, again, status])
    expect(output.stdout + output.stderr).not.toContain(password);

  const logs = await runCli(['db', 'logs', '-n', '200'], project, env);
  expect(logs.stdout).toContain('ready to accept connections');

  const state = JSON.parse(readFileSync(join(project, '.venomqa', 'db.json'), 'utf8')) as {
    containerId?: string;
    rootDir?: string;
  };
  const postmasterPid = state.rootDir
    ? Number(readFileSync(join(state.rootDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
    : undefined;
  if (postmasterPid !== undefined) expect(isProcessAlive(postmasterPid)).toBe(true);
  const down = await runCli(['db', 'down', '--force'], project, env);
  expect(down.exitCode).toBe(0);
  expect(existsSync(join(project, '.venomqa'))).toBe(false);
  if (postmasterPid !== undefined) expect(isProcessAlive(postmasterPid)).toBe(false);
  const after = await runCli(['db', 'status'], project, env);
  expect(after.exitCode).toBe(3);
  expect(after.stdout).toContain('not running');
  return { id: state.containerId ?? state.rootDir ?? '' };
}

describe('venomqa db (embedded)', () => {
  it('up, status, url, logs and down across separate invocations, leaving nothing', async () => {
    await lifecycle('embedded');
    expect(execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })).not.toContain(project);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'as root, keeps the cluster where the postgres user can reach it when the project folder is closed',
    async () => {
      await chmod(project, 0o700);
      await writeFile(join(project, 'venomqa.yaml'), 'server:\n  provider: embedded\n');
      const up = await runCli(['db', 'up', '--json'], project, userEnv());
      expect(up.exitCode).toBe(0);
      const { dataDir } = JSON.parse(up.stdout) as { dataDir: string };
      expect(dataDir.startsWith('/var/lib/venomqa/clusters/')).toBe(true);
      expect(existsSync(join(dataDir, 'data', 'PG_VERSION'))).toBe(true);
      const url = (
        await runCli(['db', 'url', '--show-password'], project, userEnv())
      ).stdout.trim();
      expect(await queryOnce(url, 'select 1 as ok')).toEqual([{ ok: 1 }]);
      expect((await runCli(['db', 'down', '--force'], project, userEnv())).exitCode).toBe(0);
      expect(existsSync(dataDir)).toBe(false);
    },
  );

  it('fails with exit 2 and a suggestion when the config has a typo', async () => {
    await writeFile(
      join(project, 'venomqa.yaml'),
      'server:\n  provider: embedded\nparalel_paths: 2\n',
    );
    const result = await runCli(['db', 'up'], project, userEnv());
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("venomqa.yaml:3:1: unknown key 'paralel_paths'");
    expect(result.stderr).toContain("did you mean 'parallel_paths'");
    expect(existsSync(join(project, '.venomqa'))).toBe(false);
  });
});

describe.skipIf(!hasDocker)('venomqa db (docker)', () => {
  it('up, status, url, logs and down across separate invocations, leaving no container', async () => {
    const { id } = await lifecycle('docker');
    const { docker } = await findDockerDaemon();
    await expect(docker.getContainer(id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`${LABEL.role}=managed-db`] },
    });
    expect(left.filter((c) => c.Labels[LABEL.runId] === process.env.VENOMQA_RUN_ID)).toEqual([]);
  });
});

describe('venomqa CLI basics', () => {
  it('prints its version and exits 0; an unknown command exits 2', async () => {
    const version = await runCli(['--version'], project, userEnv());
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const unknown = await runCli(['frobnicate'], project, userEnv());
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  it('prints the resolved config with the database password redacted, as JSON with --json', async () => {
    const env = userEnv({
      VENOMQA_DB_URL: 'postgresql://app:hunter2-secret@127.0.0.1:5432/app',
      VENOMQA_PARALLEL_PATHS: '3',
    });
    const result = await runCli(['config', '--json'], project, env);
    expect(result.exitCode).toBe(0);
    const config = JSON.parse(result.stdout) as { db_url: string; parallel_paths: number };
    expect(config.parallel_paths).toBe(3);
    expect(config.db_url).toBe('postgresql://app:***@127.0.0.1:5432/app');
    expect(result.stdout + result.stderr).not.toContain('hunter2-secret');
  });

  it('reports a config error as one JSON document with --json', async () => {
    await writeFile(join(project, 'venomqa.yaml'), 'parallel_paths: two\n');
    const result = await runCli(['config', '--json'], project, userEnv());
    expect(result.exitCode).toBe(2);
    const body = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VENOMQA_CONFIG_INVALID');
    expect(body.error.message).toContain('venomqa.yaml:1:17');
  });
});
