import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { listLabelledContainers, stopAndRemove } from '../../../src/docker/started-container.js';
import { findFreePort } from '../../../src/free-port.js';
import { REPO } from '../runner/shop-fixture.js';
import { runCli } from '../support/run-cli.js';
import { dockerAvailable, serviceAvailable } from '../support/services.js';

const COMPOSE_FILE = join(REPO, 'docker-compose.qa.yml');
const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';

const hasDocker = await dockerAvailable();
const hasCompose =
  hasDocker &&
  (await serviceAvailable('docker-compose', 'VENOMQA_REQUIRE_DOCKER', async () => {
    const result = await execa('docker-compose', ['version', '--short'], { reject: false });
    return result.exitCode === 0;
  }));

describe.skipIf(!hasCompose)(
  'server.provider: compose (the db service of docker-compose.qa.yml)',
  () => {
    // A project of its own: a developer's running dev loop is never touched.
    const project = `venomqa-it-db-${randomBytes(4).toString('hex')}`;
    const password = `dev-${randomBytes(6).toString('hex')}`;
    let env: Record<string, string | undefined>;
    const dirs: string[] = [];

    const compose = (args: string[]) =>
      execa('docker-compose', ['-f', COMPOSE_FILE, ...args], {
        cwd: REPO,
        env,
        reject: false,
        all: true,
        timeout: 600_000,
      });
    const dbContainers = async (): Promise<{ id: string; running: boolean }[]> => {
      const { docker } = await findDockerDaemon();
      const found = await listLabelledContainers(docker, { [COMPOSE_PROJECT_LABEL]: project });
      return found.map((c) => ({ id: c.Id, running: c.State === 'running' }));
    };
    /** The shop example with an API process per path, on the compose db server. */
    const run = async (): Promise<{ exitCode: number; stdout: string; stderr: string }> => {
      const reports = await mkdtemp(join(tmpdir(), 'venomqa-compose-db-reports-'));
      dirs.push(reports);
      return runCli(
        ['run', '-c', 'examples/shop/venomqa.yaml', '--report-dir', reports, '--parallel', '2'],
        REPO,
        { ...env, VENOMQA_SERVER_PROVIDER: 'compose', VENOMQA_API_MODE: 'process' },
      );
    };

    beforeAll(async () => {
      env = {
        COMPOSE_PROJECT_NAME: project,
        VENOMQA_QA_PG_PORT: String(await findFreePort()),
        VENOMQA_QA_PASSWORD: password,
        VENOMQA_BASE_IMAGE: process.env.VENOMQA_BASE_IMAGE,
        VENOMQA_DB_URL: undefined,
        VENOMQA_CONFIG: undefined,
      };
    });

    afterAll(async () => {
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
      await compose(['down', '-v', '--remove-orphans', '-t', '5']);
      const { docker } = await findDockerDaemon();
      const left = await listLabelledContainers(docker, { [COMPOSE_PROJECT_LABEL]: project });
      await Promise.all(left.map((c) => stopAndRemove(docker, c.Id, 0).catch(() => undefined)));
      expect(left.map((c) => c.Names.join(','))).toEqual([]);
    }, 120_000);

    it('starts the db service when it is not running, runs on it, and removes what it started', async () => {
      expect(await dbContainers()).toEqual([]);
      const result = await run();
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr).toContain(`Starting the db service of ${COMPOSE_FILE} (new container)`);
      expect(result.stderr).toMatch(/PostgreSQL 17\..* \(compose\) for this run/);
      expect(result.stdout).toMatch(/^1 journey passed, 0 failed/);
      expect(result.stderr + result.stdout).not.toContain(password);
      expect(await dbContainers()).toEqual([]);
    });

    it('uses a running db service and leaves it running', async () => {
      const up = await compose(['up', '-d', 'db']);
      expect(up.exitCode, up.all).toBe(0);
      const before = await dbContainers();
      expect(before).toMatchObject([{ running: true }]);
      const result = await run();
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr).toContain(`Using the running db service of ${COMPOSE_FILE}`);
      expect(await dbContainers()).toEqual(before);
    });
  },
);
