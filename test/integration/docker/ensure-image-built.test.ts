import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BuildKitRequiredError,
  ImageBuildAbortedError,
  ImageBuildError,
} from '../../../src/docker/build-errors.js';
import { imageExists } from '../../../src/docker/build-image.js';
import {
  ensureImageBuilt,
  type EnsureImageBuiltOptions,
} from '../../../src/docker/ensure-image-built.js';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { writeDockerApp } from '../api/docker-app-fixture.js';
import { buildKitAvailable, dockerAvailable } from '../support/services.js';

const hasDocker = await dockerAvailable();
const hasBuildKit = hasDocker && (await buildKitAvailable());
const BASE_IMAGE = process.env.VENOMQA_BASE_IMAGE ?? 'debian:trixie-slim';

describe.skipIf(!hasDocker)('ensureImageBuilt', () => {
  let docker: Docker;
  let root: string;
  const built: string[] = [];

  beforeAll(async () => {
    docker = (await findDockerDaemon()).docker;
    root = await mkdtemp(path.join(tmpdir(), 'venomqa-image-build-'));
  });

  afterAll(async () => {
    for (const tag of built) {
      await docker
        .getImage(tag)
        .remove()
        .catch(() => undefined);
    }
    await rm(root, { recursive: true, force: true });
  });

  /** A context folder holding `dockerfile`, and the options to build it under a new name. */
  async function context(dockerfile: string, more: Partial<EnsureImageBuiltOptions> = {}) {
    const dir = await mkdtemp(path.join(root, 'ctx-'));
    await writeFile(path.join(dir, 'Dockerfile'), dockerfile);
    const image = `venomqa/test-image-build-${randomBytes(4).toString('hex')}:latest`;
    built.push(image);
    return {
      image,
      contextDir: dir,
      buildArgs: { BASE_IMAGE },
      // The daemon here has no bridge: RUN steps need the host's network.
      networkMode: 'host' as const,
      ...more,
    };
  }

  const FROM_BASE = 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n';

  it.skipIf(!hasBuildKit)(
    "a failing build names the image and ends with the builder's last lines",
    async () => {
      const progress: string[] = [];
      const options = await context(`${FROM_BASE}RUN echo "boom-$((40 + 2))" && exit 3\n`, {
        onProgress: (line) => progress.push(line),
      });
      const error: unknown = await ensureImageBuilt(docker, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageBuildError);
      const failure = error as ImageBuildError;
      expect(failure.message).toContain(
        `Building the image ${options.image.split(':')[0]}:venomqa-`,
      );
      expect(failure.message).toContain('failed: the CLI exited with code 1');
      expect(failure.outputTail.join('\n')).toContain('boom-42');
      expect(failure.message).toContain('Last build output:');
      expect(progress.join('\n')).toMatch(/ERROR: .*exit code: 3/);
      expect(await imageExists(docker, options.image)).toBe(false);
    },
  );

  it.skipIf(!hasBuildKit)(
    'aborting the signal (Ctrl-C) stops the build on the daemon',
    async () => {
      const marker = `venomqa-abort-${randomBytes(4).toString('hex')}`;
      const controller = new AbortController();
      const running = async () =>
        (await execa('ps', ['-eo', 'args='])).stdout.split('\n').filter((l) => l.includes(marker));
      const options = await context(`${FROM_BASE}RUN sleep 300 && echo ${marker}\n`, {
        signal: controller.signal,
      });
      const build = ensureImageBuilt(docker, options).catch((e: unknown) => e);
      await expect.poll(running, { timeout: 60_000, interval: 250 }).not.toEqual([]);
      const abortedAt = Date.now();
      controller.abort(new Error('Ctrl-C'));
      const error = await build;
      expect(error).toBeInstanceOf(ImageBuildAbortedError);
      console.log(`[image build] abort to rejection: ${Date.now() - abortedAt} ms`);
      // The RUN step's process goes too: the build does not go on without anyone waiting.
      await expect.poll(running, { timeout: 30_000, interval: 500 }).toEqual([]);
      expect(await imageExists(docker, options.image)).toBe(false);
    },
  );

  it("without a BuildKit CLI: names what needs BuildKit, and builds a classic Dockerfile on the API's builder with symlinks intact", async () => {
    const env = { ...process.env, VENOMQA_DOCKER_CLI: 'none' };
    const app = await writeDockerApp(await mkdtemp(path.join(root, 'app-')));
    const image = `venomqa/test-image-build-${randomBytes(4).toString('hex')}:latest`;
    built.push(image);
    const base = { image, contextDir: app, buildArgs: { BASE_IMAGE }, env };

    const refused: unknown = await ensureImageBuilt(docker, base).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BuildKitRequiredError);
    const error = refused as BuildKitRequiredError;
    expect(error.code).toBe('VENOMQA_BUILDKIT_REQUIRED');
    expect(error.feature).toBe('RUN --mount');
    expect(error.message).toContain(`${path.join(app, 'Dockerfile')}:8 uses RUN --mount`);
    expect(error.message).toContain('VENOMQA_DOCKER_CLI=none');
    expect(error.hint).toContain('docker buildx');

    // A Dockerfile outside the context goes into the tar venomqa sends, not by copying the app.
    const classic = path.join(root, 'classic/Dockerfile');
    await mkdir(path.dirname(classic));
    await writeFile(classic, `${FROM_BASE}WORKDIR /app\nCOPY . .\n`);
    const progress: string[] = [];
    const result = await ensureImageBuilt(docker, {
      ...base,
      dockerfile: classic,
      onProgress: (line) => progress.push(line),
    });
    built.push(result.reference);
    expect(progress.join('\n')).toContain(
      "No docker CLI with BuildKit found (none: VENOMQA_DOCKER_CLI=none); building with the Docker API's classic builder",
    );
    expect(progress.join('\n')).toMatch(/Step 4\/\d+ : COPY \. \./);
    expect(progress.join('\n')).not.toContain('LABEL dev.venomqa');
    const { stdout } = await execa('docker', [
      'run',
      '--rm',
      '--network',
      'host',
      result.reference,
      'sh',
      '-c',
      'readlink node_modules/.bin/greet && head -1 node_modules/.bin/greet && ls',
    ]);
    expect(stdout.split('\n').slice(0, 2)).toEqual([
      '../greet/bin/greet.mjs',
      '#!/usr/bin/env node',
    ]);
    expect(stdout).not.toMatch(/^big$/m);
    expect(stdout).not.toMatch(/^README\.md$/m);
  });
});
