import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { imageExists } from '../../../src/docker/build-image.js';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { LABEL } from '../../../src/docker/labels.js';
import { listLabelledContainers } from '../../../src/docker/started-container.js';
import { RUN_ID } from '../../../src/run-id.js';
import {
  DockerTarget,
  PATH_LABEL,
  type DockerTargetOptions,
} from '../../../src/api/docker-target.js';
import {
  TargetAbortedError,
  TargetImageMissingError,
  TargetStartError,
} from '../../../src/api/target-errors.js';
import { dockerAvailable } from '../support/services.js';

const hasDocker = await dockerAvailable();

const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/api', import.meta.url));
const IMAGE = 'venomqa/test-echo-api:latest';
const PASSWORD = 'd0cker-Pa55word';
const urlFor = (database: string): string =>
  `postgresql://qa:${PASSWORD}@127.0.0.1:5432/${database}`;

// Tests use host networking (the daemon here has no bridge) and the locally built base image.
function target(overrides: Partial<DockerTargetOptions> = {}): DockerTarget {
  return new DockerTarget({
    image: IMAGE,
    build: FIXTURE_DIR,
    buildArgs: { BASE_IMAGE: process.env.VENOMQA_BASE_IMAGE ?? 'debian:trixie-slim' },
    health: '/health',
    startupTimeoutMs: 30_000,
    network: (process.env.VENOMQA_SERVER_NETWORK ?? 'host') as 'host' | 'bridge',
    stopGraceSeconds: 5,
    ...overrides,
  });
}

async function containersFor(docker: Docker, label: string): Promise<Docker.ContainerInfo[]> {
  return listLabelledContainers(docker, { [LABEL.runId]: RUN_ID, [PATH_LABEL]: label });
}

describe.skipIf(!hasDocker)('DockerTarget', () => {
  let docker: Docker;

  beforeAll(async () => {
    docker = (await findDockerDaemon()).docker;
    // Built by the target itself when its inputs changed (api.build); else it is up to date.
    const progress: string[] = [];
    const t = target({ onProgress: (line) => progress.push(line) });
    const api = await t.acquire(urlFor('warmup'), { label: 'warmup' });
    await api.release();
    expect(progress.join('\n')).toMatch(
      new RegExp(`API image up to date: ${IMAGE}|API image ${IMAGE}: (re)?building`),
    );
    expect(await imageExists(docker, IMAGE)).toBe(true);
  }, 600_000);

  it('starts one labelled container per database at once, and release removes each', async () => {
    const t = target({ env: { EXTRA: '{database_url}' } });
    const labels = ['journey/clone_a', 'journey/clone_b'];
    const apis = await Promise.all(
      labels.map((label, i) => t.acquire(urlFor(`clone_${'ab'[i]}`), { label })),
    );
    try {
      expect(new Set(apis.map((api) => api.baseUrl)).size).toBe(2);
      for (const [i, api] of apis.entries()) {
        const response = await fetch(`${api.baseUrl}/env`);
        const env = (await response.json()) as { database: string; port: number; extra: string };
        expect(env.database).toBe(`clone_${'ab'[i]}`);
        expect(String(env.port)).toBe(new URL(api.baseUrl).port);
        expect(env.extra).toBe(urlFor(`clone_${'ab'[i]}`));

        const info = await docker.getContainer(api.id).inspect();
        expect(info.Config.Labels[LABEL.role]).toBe('api');
        expect(info.Config.Labels[LABEL.runId]).toBe(RUN_ID);
        expect(info.Config.Labels[PATH_LABEL]).toBe(labels[i]);
        expect(info.Name).toMatch(/^\/venomqa-api-/);
        expect(info.HostConfig.Init).toBe(true);

        await expect.poll(() => api.logs(20)).toContain('GET /env');
        const logs = await api.logs(20);
        expect(logs.join('\n')).toContain('DATABASE_URL=postgresql://qa:***@127.0.0.1:5432/');
        expect(logs.join('\n')).not.toContain(PASSWORD);
      }
    } finally {
      await Promise.all(apis.map((api) => api.release()));
    }
    for (const label of labels) expect(await containersFor(docker, label)).toEqual([]);
    // The output stays readable after release, ending with the shutdown line.
    expect((await apis[0]?.logs(1))?.[0]).toBe('echo-api stopping');
    await apis[0]?.release(); // idempotent
  });

  it('with network bridge, publishes on 127.0.0.1, or uses host networking when the daemon has no bridge', async () => {
    const hasBridge = (await docker.listNetworks()).some((n) => n.Name === 'bridge');
    const progress: string[] = [];
    const t = target({
      network: 'bridge',
      // In a bridge the API must listen on the container's interface: {host} is 0.0.0.0 there.
      env: { HOST_ADDRESS: '{host}', EXTRA: '{database_url}' },
      onProgress: (line) => progress.push(line),
    });
    const api = await t.acquire(urlFor('bridged'), { label: 'bridge/path' });
    try {
      expect(new URL(api.baseUrl).hostname).toBe('127.0.0.1');
      const env = (await (await fetch(`${api.baseUrl}/env`)).json()) as { extra: string };
      const info = await docker.getContainer(api.id).inspect();
      if (hasBridge) {
        expect(info.HostConfig.NetworkMode).toBe('bridge');
        expect(env.extra).toBe(`postgresql://qa:${PASSWORD}@host.docker.internal:5432/bridged`);
      } else {
        expect(info.HostConfig.NetworkMode).toBe('host');
        expect(progress.join('\n')).toContain('no bridge network');
        expect(env.extra).toBe(urlFor('bridged'));
      }
    } finally {
      await api.release();
    }
  });

  it('fails with the container output when the API exits at start, and removes the container', async () => {
    const t = target({ env: { FAIL_AT_START: '1' }, startupTimeoutMs: 60_000 });
    const label = 'orders/fails_at_start';
    const started = Date.now();
    const error: unknown = await t
      .acquire(urlFor('app'), { label })
      .then(() => new Error('expected a failure'))
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(error).toBeInstanceOf(TargetStartError);
    const start = error as TargetStartError;
    expect(start.label).toBe(label);
    expect(start.message).toContain(label);
    expect(start.message).toContain('exited with code 1');
    expect(start.logLines).toContain('echo-api: cannot connect to the database, giving up');
    expect(start.message).toContain('postgresql://qa:***@127.0.0.1:5432/app');
    expect(start.message).not.toContain(PASSWORD);
    expect(await containersFor(docker, label)).toEqual([]);
  });

  it('gives up after startup_timeout and removes the container; an abort does the same', async () => {
    const label = 'slow/never_healthy';
    const error: unknown = await target({ env: { HANG: '1' }, startupTimeoutMs: 2000 })
      .acquire(urlFor('slow'), { label })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetStartError);
    expect((error as TargetStartError).message).toContain('answered 503');
    expect(await containersFor(docker, label)).toEqual([]);

    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('fail_fast')), 1000);
    const aborted: unknown = await target({ env: { HANG: '1' }, startupTimeoutMs: 60_000 })
      .acquire(urlFor('slow'), { label: 'slow/aborted', signal: controller.signal })
      .catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(TargetAbortedError);
    expect(await containersFor(docker, 'slow/aborted')).toEqual([]);
  });

  it('says so when the image is missing and there is nothing to build it from', async () => {
    const error: unknown = await target({
      image: 'venomqa/test-no-such-image:missing',
      build: null,
    })
      .acquire(urlFor('app'), { label: 'missing' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetImageMissingError);
    expect((error as TargetImageMissingError).message).toContain(
      'venomqa/test-no-such-image:missing',
    );
    expect((error as TargetImageMissingError).hint).toContain('api.build');
  });
});
