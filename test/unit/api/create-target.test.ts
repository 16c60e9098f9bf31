import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import type { QAConfig } from '../../../src/config/schema.js';
import { DockerUnavailableError } from '../../../src/docker/docker-errors.js';
import type { DockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { createTarget } from '../../../src/api/create-target.js';
import { describeTarget } from '../../../src/api/describe-target.js';
import { DockerTarget } from '../../../src/api/docker-target.js';
import { ProcessTarget } from '../../../src/api/process-target.js';
import { SharedTarget } from '../../../src/api/shared-target.js';
import { TargetConfigError } from '../../../src/api/target-errors.js';

function config(api: QAConfig['api'], rest: QAConfig = {}) {
  // No compose file: the repository's own docker-compose.qa.yml (the default
  // docker_compose_file from this cwd) would give api.mode docker/auto an image.
  return resolveConfig({
    cwd: process.cwd(),
    env: {},
    file: null,
    overrides: { docker_compose_file: 'test/no-such-compose.yml', ...rest, api },
  });
}

const daemon = (): Promise<DockerDaemon> =>
  Promise.resolve({
    docker: {} as Docker,
    endpoint: { type: 'socket', socketPath: '/fake.sock', label: 'fake' },
    strategy: 'fake',
  });
const noDaemon = (): Promise<DockerDaemon> =>
  Promise.reject(new DockerUnavailableError([{ strategy: 'fake', reason: 'not running' }]));

describe('createTarget', () => {
  it('shared: the API at base_url, whatever the database', async () => {
    const target = await createTarget(config({}, { base_url: 'http://localhost:9000' }));
    expect(target).toBeInstanceOf(SharedTarget);
    expect(target.isolation).toBe('shared');
    const api = await target.acquire('postgresql://qa:pw@db/clone', { label: 'p' });
    expect(api.baseUrl).toBe('http://localhost:9000');
    expect(await api.logs(10)).toEqual([]);
    await api.release();
    expect(describeTarget(target)).toContain('http://localhost:9000');
  });

  it('process: a note when api.command passes {database_url}, which ps would show', async () => {
    const lines: string[] = [];
    const onProgress = (line: string): void => void lines.push(line);
    await createTarget(config({ mode: 'process', command: 'node server.js' }), { onProgress });
    await createTarget(
      config({ mode: 'process', env: { DB: '{database_url}' }, command: 'node s.js' }),
      {
        onProgress,
      },
    );
    expect(lines).toEqual([]);
    await createTarget(
      config({ mode: 'process', command: ['node', 's.js', '--db={database_url}'] }),
      {
        onProgress,
      },
    );
    expect(lines).toEqual([expect.stringContaining('`ps` shows its password')]);
  });

  it('process: needs api.command', async () => {
    await expect(createTarget(config({ mode: 'process' }))).rejects.toThrow(TargetConfigError);
    await expect(createTarget(config({ mode: 'process' }))).rejects.toThrow(
      'api.mode is process but api.command is not set',
    );
    const target = await createTarget(
      config({ mode: 'process', command: 'node server.js --db postgresql://u:hunter22@h/d' }),
    );
    expect(target).toBeInstanceOf(ProcessTarget);
    expect(target.isolation).toBe('per-path');
    expect(describeTarget(target)).toBe(
      'API: `node server.js --db postgresql://u:***@h/d` started per path (process)',
    );
  });

  it('process: a command that needs a shell is a config error before anything starts', async () => {
    const error: unknown = await createTarget(
      config({ mode: 'process', command: 'node server.js --port $PORT' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetConfigError);
    expect((error as TargetConfigError).code).toBe('VENOMQA_TARGET_CONFIG_INVALID');
    expect((error as TargetConfigError).hint).toContain('{port}');
  });

  it('docker: needs api.image, and a daemon', async () => {
    await expect(createTarget(config({ mode: 'docker' }), { findDocker: daemon })).rejects.toThrow(
      'api.mode is docker but api.image is not set',
    );
    await expect(
      createTarget(config({ mode: 'docker', image: 'shop:dev' }), { findDocker: noDaemon }),
    ).rejects.toBeInstanceOf(DockerUnavailableError);
    const target = await createTarget(config({ mode: 'docker', image: 'shop:dev' }), {
      findDocker: daemon,
    });
    expect(target).toBeInstanceOf(DockerTarget);
    expect(describeTarget(target)).toBe('API: image shop:dev started per path (docker)');
  });

  it('auto: docker when an image is set and a daemon answers, else the command', async () => {
    const both = config({ mode: 'auto', image: 'shop:dev', command: 'node server.js' });
    expect(await createTarget(both, { findDocker: daemon })).toBeInstanceOf(DockerTarget);
    const progress: string[] = [];
    expect(
      await createTarget(both, { findDocker: noDaemon, onProgress: (l) => progress.push(l) }),
    ).toBeInstanceOf(ProcessTarget);
    expect(progress.join('\n')).toContain('No Docker daemon answered');
    // The daemon is never asked about when there is no image.
    expect(
      await createTarget(config({ mode: 'auto', command: 'node server.js' }), {
        findDocker: () => Promise.reject(new Error('must not be called')),
      }),
    ).toBeInstanceOf(ProcessTarget);
  });

  it('auto: an image without a daemon and without a command fails with the daemon error', async () => {
    await expect(
      createTarget(config({ mode: 'auto', image: 'shop:dev' }), { findDocker: noDaemon }),
    ).rejects.toBeInstanceOf(DockerUnavailableError);
  });

  it('auto: neither command nor image is a config error naming both', async () => {
    const error: unknown = await createTarget(config({ mode: 'auto' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetConfigError);
    expect((error as TargetConfigError).message).toContain('neither api.command nor api.image');
    expect((error as TargetConfigError).exitCode).toBe(2);
  });

  it('runs the command in the config file folder unless told otherwise', async () => {
    // No file: the current directory. The folder only shows in start errors, so check it there.
    const target = (await createTarget(
      config({ mode: 'process', command: ['node', '-e', 'process.exit(3)'], startup_timeout: 5 }),
      { cwd: path.resolve('/tmp') },
    )) as ProcessTarget;
    await expect(target.acquire('postgresql://u@h/d', { label: 'cwd' })).rejects.toThrow(
      /exited with code 3 .* in \/tmp\)/,
    );
  });
});
