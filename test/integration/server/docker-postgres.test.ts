import { describe, expect, it } from 'vitest';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { LABEL } from '../../../src/docker/labels.js';
import { startDockerPostgres } from '../../../src/server/docker-postgres.js';
import { PostgresStartError } from '../../../src/server/server-errors.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { dockerAvailable } from '../support/services.js';

const hasDocker = await dockerAvailable();

// Tests use host networking (no bridge on these machines) and the locally built base image.
const options = {
  image: 'venomqa/postgres:17',
  baseImage: process.env.VENOMQA_BASE_IMAGE ?? 'debian:trixie-slim',
  network: (process.env.VENOMQA_SERVER_NETWORK ?? 'host') as 'host' | 'bridge',
  port: null,
  tmpfs: true,
  user: 'venomqa',
  password: null,
  database: 'app',
  startupTimeoutMs: 60_000,
};

describe.skipIf(!hasDocker)('docker provider', () => {
  it('starts the tuned image, answers queries, labels the container, and stop removes it', async () => {
    const { docker } = await findDockerDaemon();
    const server = await startDockerPostgres(options);
    try {
      expect(server.provider).toBe('docker');
      expect(server.versionNum).toBeGreaterThanOrEqual(170000);
      const rows = await queryOnce<{ db: string; fsync: string; sc: string }>(
        server.urlFor('app'),
        "select current_database() as db, current_setting('fsync') as fsync, current_setting('synchronous_commit') as sc",
      );
      expect(rows).toEqual([{ db: 'app', fsync: 'off', sc: 'off' }]);
      const info = await docker.getContainer(server.id ?? '').inspect();
      expect(info.Config.Labels[LABEL.managed]).toBe('true');
      expect(info.Config.Labels[LABEL.runId]).toBe(process.env.VENOMQA_RUN_ID);
      expect((await server.logs(200)).join('\n')).toContain('ready to accept connections');
    } finally {
      await server.stop();
    }
    await expect(docker.getContainer(server.id ?? '').inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    await server.stop(); // idempotent
  });

  it('with network bridge, publishes on 127.0.0.1, or uses host networking when the daemon has no bridge', async () => {
    const { docker } = await findDockerDaemon();
    const hasBridge = (await docker.listNetworks()).some((n) => n.Name === 'bridge');
    const progress: string[] = [];
    await using server = await startDockerPostgres({
      ...options,
      network: 'bridge',
      onProgress: (line) => progress.push(line),
    });
    expect(server.host).toBe('127.0.0.1');
    expect(await queryOnce(server.urlFor('app'), 'select 1 as ok')).toEqual([{ ok: 1 }]);
    const info = await docker.getContainer(server.id ?? '').inspect();
    expect(info.HostConfig.NetworkMode).toBe(hasBridge ? 'bridge' : 'host');
    if (!hasBridge) expect(progress.join('\n')).toContain('no bridge network');
  });

  it('removes a container that never becomes ready and reports its last log lines', async () => {
    const { docker } = await findDockerDaemon();
    // An empty password makes the entrypoint refuse to initialise, as the official image does.
    const marker = { 'dev.venomqa.test-case': `not-ready-${Date.now()}` };
    const error = await startDockerPostgres({
      ...options,
      password: '',
      startupTimeoutMs: 20_000,
      extraLabels: marker,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostgresStartError);
    expect((error as PostgresStartError).code).toBe('VENOMQA_POSTGRES_START_FAILED');
    expect((error as PostgresStartError).logLines.join('\n')).toContain('POSTGRES_PASSWORD');
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`dev.venomqa.test-case=${marker['dev.venomqa.test-case']}`] },
    });
    expect(left).toEqual([]);
  });
});
