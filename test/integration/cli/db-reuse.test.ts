import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { runCli } from '../support/run-cli.js';
import { dockerAvailable } from '../support/services.js';

const hasDocker = await dockerAvailable();

const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
  VENOMQA_BASE_IMAGE: process.env.VENOMQA_BASE_IMAGE,
  VENOMQA_SERVER_NETWORK: process.env.VENOMQA_SERVER_NETWORK ?? 'host',
};

interface Up {
  started: boolean;
  container: string;
  port: number;
}

/**
 * The managed container is found again by its configuration hash: by a later invocation whose
 * state file is gone, and by another project asking for the same server (which then leaves it
 * running on `db down`); a changed configuration starts a new one and says what changed.
 */
describe.skipIf(!hasDocker)(
  'venomqa db up reuses a running container of the same configuration',
  () => {
    const projects: string[] = [];
    const project = async (database: string): Promise<string> => {
      const dir = await mkdtemp(join(tmpdir(), 'venomqa-reuse-'));
      await chmod(dir, 0o755);
      // A database name no other suite asks for, so only this suite's projects share a hash.
      await writeFile(
        join(dir, 'venomqa.yaml'),
        `server:\n  provider: docker\n  database: ${database}\n`,
      );
      projects.push(dir);
      return dir;
    };
    let a = '';
    let b = '';
    beforeAll(async () => {
      a = await project('reuse_suite');
      b = await project('reuse_suite');
    });
    afterAll(async () => {
      for (const dir of projects) {
        await runCli(['db', 'down', '--force'], dir, env);
        await rm(dir, { recursive: true, force: true });
      }
    });

    const up = async (dir: string) => {
      const result = await runCli(['db', 'up', '--json'], dir, env);
      expect(result.exitCode, result.stderr).toBe(0);
      return { ...(JSON.parse(result.stdout) as Up), stderr: result.stderr };
    };

    it('shares one container between projects and invocations, and replaces it when the configuration changes', async () => {
      const first = await up(a);
      expect(first.started).toBe(true);

      // The state file is lost: the next invocation finds the same container by its hash.
      await rm(join(a, '.venomqa'), { recursive: true, force: true });
      const again = await up(a);
      expect(again.started).toBe(false);
      expect(again.container).toBe(first.container);
      expect(again.stderr).toMatch(
        /Reusing the running container venomqa-db-\w+ \(same configuration\)/,
      );

      // Another project asking for the same server gets the same container.
      const other = await up(b);
      expect(other).toMatchObject({ started: false, container: first.container, port: first.port });
      expect(other.stderr).toContain(`same configuration, started for ${a}`);
      const forgot = await runCli(['db', 'down', '--force'], b, env);
      expect(forgot.stdout).toContain(`its container stays running for ${a}`);
      const { docker } = await findDockerDaemon();
      const list = await docker.listContainers({ filters: { id: [first.container] } });
      expect(list).toHaveLength(1);

      // A changed configuration: a new container, and the line says what changed.
      await writeFile(
        join(a, 'venomqa.yaml'),
        'server:\n  provider: docker\n  database: reuse_other\n',
      );
      const status = await runCli(['db', 'status'], a, env);
      expect(status.stdout).toContain(
        'configuration changed since it started: database reuse_suite → reuse_other',
      );
      const changed = await up(a);
      expect(changed.started).toBe(true);
      expect(changed.container).not.toBe(first.container);
      expect(changed.stderr).toContain(
        'The managed database runs with another configuration (database reuse_suite → reuse_other): starting a new one',
      );
      const old = await docker.listContainers({ all: true, filters: { id: [first.container] } });
      expect(old).toHaveLength(0);
    });
  },
);
