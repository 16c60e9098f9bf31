import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import type { QAConfig } from '../../../src/config/schema.js';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { pruneApiImages } from '../../../src/docker/prune-api-images.js';
import type { HttpResponse } from '../../../src/http/http-response.js';
import { Branch, Checkpoint, Journey, Path, Step } from '../../../src/journey/index.js';
import { runJourneys } from '../../../src/run/run-journeys.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { freshDatabase, startTestPostgres } from '../state/embedded-server.js';
import { buildKitAvailable, dockerAvailable } from '../support/services.js';
import { BIG_FOLDER_BYTES, parseBuildKitSize, writeDockerApp } from './docker-app-fixture.js';

const hasDocker = await dockerAvailable();
const hasBuildKit = hasDocker && (await buildKitAvailable());

const IMAGE = 'venomqa/test-docker-app:latest';
const BASE_IMAGE = process.env.VENOMQA_BASE_IMAGE ?? 'debian:trixie-slim';

/** The fixture's journey: the .bin symlink works, the version is `version`, `absent` stayed out. */
function fixtureJourney(version: string, variant: string | null, absent: readonly string[]) {
  const json = (value: unknown) => (value as HttpResponse).json<unknown>();
  return Journey({
    name: 'docker_app',
    steps: [
      Step({
        name: 'greet_through_bin_symlink',
        action: (api) => api.get('/greet'),
        expect: (res) => assert.deepEqual(json(res), { greeting: 'hello, venomqa' }),
      }),
      Checkpoint({ name: 'ready' }),
      Branch({
        checkpointName: 'ready',
        paths: [
          Path({
            name: 'version',
            steps: [
              Step({
                name: 'current_code',
                action: (api) => api.get('/version'),
                expect: (res) => assert.deepEqual(json(res), { version, variant }),
              }),
            ],
          }),
          Path({
            name: 'files',
            steps: [
              Step({
                name: 'ignored_files_left_out',
                action: (api) => api.get('/files'),
                expect: (res) => {
                  const files = json(res) as string[];
                  assert.ok(files.includes('node_modules'), files.join(', '));
                  for (const file of absent) assert.ok(!files.includes(file), files.join(', '));
                },
              }),
            ],
          }),
        ],
      }),
    ],
  });
}

describe.skipIf(!hasBuildKit)('the docker target builds API images like docker build', () => {
  let docker: Docker;
  let server: PostgresServer;
  let root: string;
  let app: string;
  const tags = new Set<string>();

  beforeAll(async () => {
    docker = (await findDockerDaemon()).docker;
    server = await startTestPostgres();
    root = await mkdtemp(path.join(tmpdir(), 'venomqa-docker-build-'));
    app = await writeDockerApp(root);
  }, 120_000);

  afterAll(async () => {
    // Only what these tests built: the fixture's tags (an image goes with its last tag).
    for (const tag of [...tags, IMAGE]) {
      await docker
        .getImage(tag)
        .remove()
        .catch(() => undefined);
    }
    await server?.stop();
    await rm(root, { recursive: true, force: true });
  });

  /** Runs the fixture journey in docker mode; returns the progress lines. */
  async function run(
    version: string,
    api: QAConfig['api'] = {},
    variant: string | null = null,
    absent: readonly string[] = ['big', 'README.md'],
  ): Promise<string[]> {
    const database = await freshDatabase(server);
    const progress: string[] = [];
    try {
      const config = resolveConfig({
        cwd: root,
        env: {},
        file: null,
        overrides: {
          db_url: database.url,
          parallel_paths: 2,
          server: { network: 'host' },
          api: {
            mode: 'docker',
            image: IMAGE,
            build: app,
            build_args: { BASE_IMAGE },
            env: { HOST: '{host}' },
            startup_timeout: 60,
            ...api,
          },
        },
      });
      const result = await runJourneys({
        config,
        journeys: [{ journey: fixtureJourney(version, variant, absent) }],
        cwd: root,
        onProgress: (line) => progress.push(line),
      });
      expect(result.failed, `${progress.join('\n')}\n${JSON.stringify(result.journeys)}`).toBe(0);
      expect(result.passed).toBe(1);
    } finally {
      await database.drop();
    }
    for (const line of progress) {
      const tag = / \((venomqa\/test-docker-app:venomqa-[0-9a-f]+)[;)]/.exec(line)?.[1];
      if (tag) tags.add(tag);
    }
    return progress;
  }

  it('builds with BuildKit (cache mount, relative .bin symlinks kept); .dockerignore keeps big/ out of what is sent', async () => {
    const progress = await run('v1');
    const text = progress.join('\n');
    expect(text).toContain(`API image ${IMAGE}: building`);
    expect(text).toMatch(
      /Building with \S+docker \(Docker CLI [^,]+, (BuildKit|the daemon's BuildKit)/,
    );
    expect(text).toMatch(/\[(stage-0 )?2\/4\] RUN --mount=type=cache/);
    // What venomqa counts after .dockerignore, and what BuildKit says it transferred.
    const counted =
      /context \S+: (\d+) files, (\S+ [kMG]?B) \(\.dockerignore leaves out README\.md, big\)/.exec(
        text,
      );
    const sent = /context sent to the builder: (\S+)/.exec(text)?.[1];
    expect(counted, text).not.toBeNull();
    console.log(
      `[docker build] context after .dockerignore: ${counted?.[1]} files, ${counted?.[2]}; ` +
        `BuildKit transferred ${sent ?? '(not reported)'}; big/ left out: ${BIG_FOLDER_BYTES / 1e6} MB`,
    );
    if (sent !== undefined) expect(parseBuildKitSize(sent)).toBeLessThan(BIG_FOLDER_BYTES / 10);
  });

  it('a changed source file rebuilds, and the next run sees the new code; no change rebuilds nothing', async () => {
    await writeFile(path.join(app, 'src/version.mjs'), "export const VERSION = 'v2';\n");
    const changed = (await run('v2')).join('\n');
    expect(changed).toContain(`API image ${IMAGE}: rebuilding: src/version.mjs changed`);

    // Files .dockerignore leaves out do not count as changes.
    await writeFile(path.join(app, 'big/data-0.bin'), 'edited');
    await writeFile(path.join(app, 'README.md'), 'edited\n');
    const again = (await run('v2')).join('\n');
    expect(again).not.toContain('Building with');
    const upToDate =
      /API image up to date: (\S+) \((\S+); (\d+) files unchanged, checked in (\d+) ms\)/.exec(
        again,
      );
    expect(upToDate, again).not.toBeNull();
    console.log(
      `[docker build] up-to-date check (walk + hash of ${upToDate?.[3]} files + image lookup): ${upToDate?.[4]} ms`,
    );
  });

  it('takes a Dockerfile outside the context with -f, and its own ignore file', async () => {
    const dockerfile = path.join(root, 'docker/app.Dockerfile');
    await mkdir(path.dirname(dockerfile));
    const text = await readFile(path.join(app, 'Dockerfile'), 'utf8');
    await writeFile(
      dockerfile,
      text.replace('WORKDIR /app', 'ENV APP_VARIANT=outside\nWORKDIR /app'),
    );
    // BuildKit reads <Dockerfile>.dockerignore before the context's .dockerignore.
    await writeFile(`${dockerfile}.dockerignore`, 'big\n*.md\npackage.json\n');
    const absent = ['big', 'README.md', 'package.json'];
    const progress = (await run('v2', { dockerfile }, 'outside', absent)).join('\n');
    expect(progress).toContain(`rebuilding: ../docker/app.Dockerfile changed`);
    expect(progress).toContain(
      '(app.Dockerfile.dockerignore leaves out README.md, big, package.json)',
    );
    expect(progress).toMatch(/\[(stage-0 )?2\/4\] RUN --mount=type=cache/);
  });

  it('venomqa prune keeps the newest images of a name and removes the older ones', async () => {
    const listed = async () =>
      (await docker.listImages({ filters: { reference: ['venomqa/test-docker-app'] } }))
        .flatMap((image) => image.RepoTags ?? [])
        .filter((tag) => tags.has(tag));
    expect((await listed()).length).toBeGreaterThanOrEqual(3);
    const dry = await pruneApiImages(docker, { keep: 1, name: IMAGE, dryRun: true });
    expect(dry.removed.length).toBeGreaterThanOrEqual(2);
    expect((await listed()).length).toBeGreaterThanOrEqual(3);
    const { removed } = await pruneApiImages(docker, { keep: 1, name: IMAGE });
    expect(removed.sort()).toEqual(dry.removed.sort());
    const left = await listed();
    expect(left).toHaveLength(1);
    // The newest is what `api.image` names now.
    const latest = await docker.getImage(IMAGE).inspect();
    expect(latest.RepoTags).toContain(left[0]);
  });
});
