import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BuildInputsUnreadableError,
  BuildKitRequiredError,
} from '../../../src/docker/build-errors.js';
import { ensureImageBuilt } from '../../../src/docker/ensure-image-built.js';
import type { BuildCliSearch } from '../../../src/docker/find-build-cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'venomqa-ensure-'));
  await writeFile(
    path.join(dir, 'Dockerfile'),
    'FROM scratch\nRUN --mount=type=cache,target=/c true\n',
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A daemon with the images `tags` (each its own id); it records inspections and new tags. */
function daemonWith(tags: string[]): { docker: Docker; asked: string[]; tagged: string[] } {
  const asked: string[] = [];
  const tagged: string[] = [];
  const docker = {
    getImage: (tag: string) => ({
      inspect: () => {
        asked.push(tag);
        return tags.includes(tag)
          ? Promise.resolve({ Id: `sha256:${tag}` })
          : Promise.reject(Object.assign(new Error('no such image'), { statusCode: 404 }));
      },
      tag: (to: { repo: string; tag: string }) => {
        tagged.push(`${tag} -> ${to.repo}:${to.tag}`);
        return Promise.resolve();
      },
    }),
  } as unknown as Docker;
  return { docker, asked, tagged };
}

const noCli = (): Promise<BuildCliSearch> =>
  Promise.resolve({ cli: undefined, tried: [{ path: '/usr/bin/docker', reason: 'no buildx' }] });
const env = { XDG_CACHE_HOME: '/nonexistent-cache' };

describe('ensureImageBuilt (no build needed to decide)', () => {
  it('an existing image for these inputs is used as is: no CLI search, no build, api.image moved to it', async () => {
    const probe = daemonWith([]);
    const missing = await ensureImageBuilt(probe.docker, {
      image: 'shop:dev',
      contextDir: dir,
      env,
      findCli: noCli,
    }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BuildKitRequiredError);
    const reference = probe.asked[0] ?? '';
    expect(reference).toMatch(/^shop:venomqa-[0-9a-f]{16}$/);

    const progress: string[] = [];
    const { docker, tagged } = daemonWith([reference]);
    const result = await ensureImageBuilt(docker, {
      image: 'shop:dev',
      contextDir: dir,
      env,
      findCli: () => Promise.reject(new Error('must not look for a builder')),
      onProgress: (line) => progress.push(line),
    });
    expect(result).toMatchObject({ reference, rebuilt: false });
    // api.image names what runs, even if another build moved it meanwhile.
    expect(tagged).toEqual([`${reference} -> shop:dev`]);
    expect(progress).toEqual([
      expect.stringMatching(
        /^API image up to date: shop:dev \(shop:venomqa-[0-9a-f]{16}; 1 file unchanged, checked in \d+ ms\)$/,
      ) as string,
    ]);
  });

  it('without a BuildKit CLI, a BuildKit Dockerfile fails before anything is sent, naming the line', async () => {
    const error = (await ensureImageBuilt(daemonWith([]).docker, {
      image: 'registry.test:5000/team/shop',
      contextDir: dir,
      env,
      findCli: noCli,
    }).catch((e: unknown) => e)) as BuildKitRequiredError;
    expect(error).toBeInstanceOf(BuildKitRequiredError);
    expect(error.message).toBe(
      `${path.join(dir, 'Dockerfile')}:2 uses RUN --mount, which only BuildKit builds, and no docker CLI with BuildKit was found (/usr/bin/docker: no buildx); the Docker API's classic builder, venomqa's fallback, cannot build it`,
    );
    expect(error.exitCode).toBe(3);
  });

  it('a missing context or Dockerfile is a usage error naming the path', async () => {
    const error = (await ensureImageBuilt(daemonWith([]).docker, {
      image: 'shop:dev',
      contextDir: dir,
      dockerfile: path.join(dir, 'nope.Dockerfile'),
      env,
      findCli: noCli,
    }).catch((e: unknown) => e)) as BuildInputsUnreadableError;
    expect(error).toBeInstanceOf(BuildInputsUnreadableError);
    expect(error.message).toBe(
      `Cannot read what the image shop:dev is built from: ${path.join(dir, 'nope.Dockerfile')} (ENOENT)`,
    );
    expect(error.exitCode).toBe(2);
    await expect(
      ensureImageBuilt(daemonWith([]).docker, { image: 'x', contextDir: path.join(dir, 'gone') }),
    ).rejects.toBeInstanceOf(BuildInputsUnreadableError);
  });
});
