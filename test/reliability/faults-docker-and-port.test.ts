import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresServer } from '../../src/server/postgres-server.js';
import { queryOnce } from '../../src/server/wait-for-postgres.js';
import { startTestPostgres } from '../integration/state/embedded-server.js';
import { runCli } from '../integration/support/run-cli.js';
import { dockerAvailable } from '../integration/support/services.js';
import { expectTypedFault } from './support/typed-fault.js';
import { cliEnv, shopConfig, shopJourney, tempProject } from './support/temp-project.js';

const hasDocker = await dockerAvailable();

describe('environment faults: the Docker daemon and the port', () => {
  let server: PostgresServer;
  let project: { dir: string; remove: () => Promise<void> };
  let taken: Server;
  let takenPort = 0;
  const snapshotsBefore: string[] = [];

  const listSnapshots = async (): Promise<string[]> => {
    const listed = await runCli(['snapshot', 'list', '--json'], project.dir, userEnv());
    return (JSON.parse(listed.stdout) as { name: string }[]).map((s) => s.name);
  };
  const userEnv = (extra: Record<string, string> = {}): Record<string, string> =>
    cliEnv({ VENOMQA_DB_URL: server.urlFor('app'), ...extra });

  beforeAll(async () => {
    server = await startTestPostgres();
    await queryOnce(server.adminUrl, 'create database app');
    project = await tempProject('faults-docker-port', {
      'venomqa.yaml': shopConfig(['  image: venomqa/shop-api:latest']),
      'journeys/shop.journey.mjs': shopJourney({ name: 'shop', paths: ['a'] }),
    });
    const created = await runCli(['snapshot', 'create', 'keep'], project.dir, userEnv());
    expect(created.exitCode, created.stderr).toBe(0);
    snapshotsBefore.push(...(await listSnapshots()));
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => taken?.close(resolve));
    await server?.stop();
    await project?.remove();
  });

  it('DOCKER_HOST pointing at no daemon: venomqa says so instead of using another daemon', async () => {
    const wrong = { DOCKER_HOST: 'unix:///nonexistent' };
    await expectTypedFault(
      {
        fault: 'Docker socket wrong (DOCKER_HOST=unix:///nonexistent), server.provider docker',
        args: ['db', 'up'],
        cwd: project.dir,
        env: cliEnv({ ...wrong, VENOMQA_SERVER_PROVIDER: 'docker' }),
      },
      'VENOMQA_DOCKER_UNAVAILABLE',
      ['DOCKER_HOST (/nonexistent)', 'unset DOCKER_HOST'],
    );
    await expectTypedFault(
      {
        fault: 'Docker socket wrong, api.mode docker',
        args: ['run'],
        cwd: project.dir,
        env: userEnv({ ...wrong, VENOMQA_API_MODE: 'docker' }),
      },
      'VENOMQA_DOCKER_UNAVAILABLE',
      ['DOCKER_HOST (/nonexistent)'],
    );
    expect(await listSnapshots()).toEqual(snapshotsBefore);
  });

  it('server.port taken: a typed error naming the port before anything starts', async () => {
    const port = { VENOMQA_SERVER_PORT: String(takenPort) };
    for (const provider of hasDocker ? ['embedded', 'docker'] : ['embedded']) {
      await expectTypedFault(
        {
          fault: `port taken (server.port ${takenPort}), ${provider} \`venomqa db up\``,
          args: ['db', 'up'],
          cwd: project.dir,
          env: cliEnv({ ...port, VENOMQA_SERVER_PROVIDER: provider }),
        },
        'VENOMQA_PORT_IN_USE',
        [`Port ${takenPort}`, 'server.port'],
      );
    }
    await expectTypedFault(
      {
        fault: `port taken (server.port ${takenPort}), a server for the run`,
        args: ['run'],
        cwd: project.dir,
        env: cliEnv(port),
      },
      'VENOMQA_PORT_IN_USE',
      [`Port ${takenPort}`],
    );
    expect(await listSnapshots()).toEqual(snapshotsBefore);
  });
});
