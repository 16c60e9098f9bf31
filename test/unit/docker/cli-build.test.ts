import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageBuildAbortedError, ImageBuildError } from '../../../src/docker/build-errors.js';
import type { BuildContext } from '../../../src/docker/build-context.js';
import { buildWithCli } from '../../../src/docker/cli-build.js';

let dir: string;
let fakeDocker: string;

// A stand-in for the docker CLI: prints BuildKit-style steps, then what it was given (its
// arguments and the variables a build may read), and exits with FAKE_EXIT (or sleeps).
const FAKE = `#!/usr/bin/env node
console.error('#1 [internal] load build definition from Dockerfile');
console.error('#4 [1/2] FROM docker.io/library/node:22');
console.error('#5 [2/2] RUN npm ci');
console.log(JSON.stringify({ argv: process.argv.slice(2), token: process.env.NPM_TOKEN ?? null,
  buildkit: process.env.DOCKER_BUILDKIT ?? null, host: process.env.DOCKER_HOST ?? null }));
if (process.env.FAKE_SLEEP) setTimeout(() => {}, 60_000);
else process.exit(Number(process.env.FAKE_EXIT ?? 0));
`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'venomqa-cli-build-'));
  fakeDocker = path.join(dir, 'docker');
  await writeFile(fakeDocker, FAKE);
  await chmod(fakeDocker, 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const context = (): BuildContext => ({
  contextDir: path.join(dir, 'app'),
  dockerfile: path.join(dir, 'docker/app.Dockerfile'),
  ignoreFile: null,
  ignoreText: '',
  entries: [],
  files: 0,
  bytes: 0,
  leftOut: [],
});

describe('buildWithCli (a fake docker CLI)', () => {
  it('passes -f, tags, target, network and build arguments; values through the environment only', async () => {
    const steps: string[] = [];
    const error = (await buildWithCli(
      { path: fakeDocker, version: '20.10.24', kind: 'daemon' },
      {
        context: context(),
        tags: ['shop:venomqa-abc', 'shop:dev'],
        buildArgs: { NPM_TOKEN: 's3cret-token', PATH: '/weird' },
        target: 'runtime',
        networkMode: 'host',
        onStep: (line) => steps.push(line),
      },
      {
        env: { PATH: process.env.PATH, FAKE_EXIT: '1' },
        endpoint: { type: 'socket', socketPath: '/run/other.sock', label: 'x' },
      },
    ).catch((e: unknown) => e)) as ImageBuildError;
    expect(error).toBeInstanceOf(ImageBuildError);
    expect(error.message).toContain(
      `Building the image shop:venomqa-abc from ${context().contextDir} (Dockerfile ${context().dockerfile}) with ${fakeDocker} (Docker CLI 20.10.24, the daemon's BuildKit) failed: the CLI exited with code 1`,
    );
    expect(error.hint).toContain(`DOCKER_BUILDKIT=1 ${fakeDocker} build -f`);
    const seen = JSON.parse(error.outputTail.at(-1) ?? '{}') as {
      argv: string[];
      token: string;
      buildkit: string;
      host: string;
    };
    expect(seen.argv).toEqual([
      'build',
      '--progress=plain',
      '-f',
      context().dockerfile,
      '-t',
      'shop:venomqa-abc',
      '-t',
      'shop:dev',
      '--build-arg',
      'NPM_TOKEN',
      // A name the CLI reads itself is not overwritten in its environment.
      '--build-arg',
      'PATH=/weird',
      '--target',
      'runtime',
      '--network',
      'host',
      context().contextDir,
    ]);
    expect(seen).toMatchObject({
      token: 's3cret-token',
      buildkit: '1',
      host: 'unix:///run/other.sock',
    });
    expect(steps).toEqual(['  [1/2] FROM docker.io/library/node:22', '  [2/2] RUN npm ci']);
  });

  it('buildx: `buildx build --load`; a CLI that cannot run is named', async () => {
    await buildWithCli(
      { path: fakeDocker, version: '28.2.2', kind: 'buildx' },
      { context: context(), tags: ['shop:1'] },
      { env: { PATH: process.env.PATH } },
    );
    const missing = (await buildWithCli(
      { path: path.join(dir, 'no-such-docker'), version: '28.2.2', kind: 'buildx' },
      { context: context(), tags: ['shop:1'] },
    ).catch((e: unknown) => e)) as ImageBuildError;
    expect(missing).toBeInstanceOf(ImageBuildError);
    expect(missing.message).toMatch(/failed: the CLI could not be run \(.*ENOENT/);
  });

  it('an abort stops the CLI and rejects with ImageBuildAbortedError', async () => {
    const controller = new AbortController();
    const build = buildWithCli(
      { path: fakeDocker, version: '20.10.24', kind: 'daemon' },
      {
        context: context(),
        tags: ['shop:1'],
        signal: controller.signal,
        onStep: () => controller.abort(new Error('Ctrl-C')),
      },
      { env: { PATH: process.env.PATH, FAKE_SLEEP: '1' } },
    );
    await expect(build).rejects.toBeInstanceOf(ImageBuildAbortedError);
  });
});
