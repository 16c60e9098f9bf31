import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import type { QAConfig } from '../../../src/config/schema.js';
import { DockerUnavailableError } from '../../../src/docker/docker-errors.js';
import type { DockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import {
  readComposeApiService,
  substituteComposeVariables,
} from '../../../src/api/compose-api-service.js';
import { createTarget } from '../../../src/api/create-target.js';
import { describeTarget } from '../../../src/api/describe-target.js';
import { DockerTarget, type DockerTargetOptions } from '../../../src/api/docker-target.js';
import { ProcessTarget } from '../../../src/api/process-target.js';
import { TargetConfigError } from '../../../src/api/target-errors.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'venomqa-compose-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let counter = 0;
/** A compose file with `text` in a new folder named `folder` (the default project name). */
async function composeFile(text: string, folder = `project-${++counter}`): Promise<string> {
  const dir = path.join(root, folder);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'docker-compose.qa.yml');
  await writeFile(file, text);
  return file;
}

async function failure(promise: Promise<unknown>): Promise<TargetConfigError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TargetConfigError);
  return error as TargetConfigError;
}

describe('readComposeApiService', () => {
  it('takes image, build and environment; paths relative to the file, the Dockerfile to the context', async () => {
    const file = await composeFile(`
services:
  db:
    image: postgres:17
  api:
    image: shop:\${TAG:-dev}
    build:
      context: ./app
      dockerfile: ../docker/api.Dockerfile
    environment:
      DATABASE_URL: postgresql://qa:s3cret@127.0.0.1:5432/shop
      PORT: 8000
      HOST: 127.0.0.1
      LOG_LEVEL: debug
      WORKERS: 2
      FEATURE_X: true
      FROM_SHELL:
      UNSET_IN_SHELL:
`);
    const service = await readComposeApiService(file, { env: { FROM_SHELL: 'shell value' } });
    const dir = path.dirname(file);
    expect(service).toEqual({
      file,
      image: 'shop:dev',
      build: path.join(dir, 'app'),
      dockerfile: path.join(dir, 'docker/api.Dockerfile'),
      buildArgs: {},
      target: null,
      // DATABASE_URL and PORT are set per path by the target; HOST follows the network mode.
      env: {
        HOST: '{host}',
        LOG_LEVEL: 'debug',
        WORKERS: '2',
        FEATURE_X: 'true',
        FROM_SHELL: 'shell value',
      },
    });
  });

  it('reads the short build form and the list form of environment, with compose interpolation', async () => {
    const file = await composeFile(`
services:
  api:
    image: \${REGISTRY}/shop
    build: ../api-src
    environment:
      - GREETING=hello \${NAME:-world}
      - PRICE=$$5
      - EMPTY=
      - PASSED_THROUGH
      - PORT=9999
      - HOST
`);
    const service = await readComposeApiService(file, {
      env: { REGISTRY: 'local', PASSED_THROUGH: 'yes' },
    });
    expect(service).toMatchObject({
      image: 'local/shop',
      build: path.resolve(path.dirname(file), '../api-src'),
      dockerfile: null,
      env: {
        GREETING: 'hello world',
        PRICE: '$5',
        EMPTY: '',
        PASSED_THROUGH: 'yes',
        HOST: '{host}',
      },
    });
    expect(service?.env).not.toHaveProperty('PORT');
  });

  it('names a build-only image as Docker Compose v2 does: <project>-api', async () => {
    const build = 'services:\n  api:\n    build: .\n';
    expect((await readComposeApiService(await composeFile(build, 'My Shop.QA')))?.image).toBe(
      'myshopqa-api',
    );
    const named = await composeFile(`name: \${STAGE:-local}-shop\n${build}`);
    expect((await readComposeApiService(named, { env: {} }))?.image).toBe('local-shop-api');
    const fromEnv = await composeFile(build);
    expect(
      (await readComposeApiService(fromEnv, { env: { COMPOSE_PROJECT_NAME: 'ci' } }))?.image,
    ).toBe('ci-api');
  });

  it('gives nothing when the file or its api service is missing', async () => {
    expect(await readComposeApiService(path.join(root, 'nowhere', 'compose.yml'))).toBeUndefined();
    expect(await readComposeApiService(await composeFile(''))).toBeUndefined();
    expect(await readComposeApiService(await composeFile('# only a comment\n'))).toBeUndefined();
    expect(
      await readComposeApiService(await composeFile('services:\n  web:\n    image: nginx\n')),
    ).toBeUndefined();
    expect(await readComposeApiService(await composeFile('volumes: {}\n'))).toBeUndefined();
  });

  it('follows YAML anchors and merge keys, as compose files use them', async () => {
    const file = await composeFile(`
x-common: &common
  image: shop:anchored
  environment:
    MODE: anchored
services:
  api:
    <<: *common
`);
    expect(await readComposeApiService(file)).toMatchObject({
      image: 'shop:anchored',
      env: { MODE: 'anchored' },
    });
  });

  it('a YAML syntax error names the file, line and column', async () => {
    const file = await composeFile('services:\n  api:\n    image: [unclosed\n');
    const error = await failure(readComposeApiService(file));
    expect(error.code).toBe('VENOMQA_TARGET_CONFIG_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(
      new RegExp(`^The docker compose file ${escape(file)}:\\d+:\\d+ is not valid YAML`),
    );
  });

  it.each([
    ['services: [api]\n', 'services must be a mapping', 1],
    ['services:\n  api: shop\n', 'services.api must be a mapping', 2],
    ['services:\n  api:\n    image: 42\n', 'services.api.image must be a string', 3],
    ['services:\n  api:\n    environment: {}\n', 'services.api has neither image nor build', 3],
    ['services:\n  api:\n    image: x\n    build: 7\n', 'services.api.build must be a path', 4],
    [
      'services:\n  api:\n    image: x\n    build:\n      context: https://u:tok3n@example.test/r.git\n',
      'services.api.build.context is a remote context (https://u:***@example.test/r.git)',
      5,
    ],
    [
      'services:\n  api:\n    image: x\n    environment: [1, 2]\n',
      'services.api.environment entries must be strings',
      4,
    ],
    [
      'services:\n  api:\n    image: x\n    environment:\n      A: [1]\n',
      'services.api.environment.A must be a string, number or boolean',
      5,
    ],
    [
      'services:\n  api:\n    image: ${TAG:?set TAG to the image tag}\n',
      'variable TAG is required: set TAG to the image tag',
      3,
    ],
    ['- just\n- a list\n', 'the top level must be a mapping', 1],
  ])('rejects a malformed file: %j', async (text, problem, line) => {
    const file = await composeFile(text);
    const error = await failure(readComposeApiService(file, { env: {} }));
    expect(error.message).toContain(`The docker compose file ${file}:${line}:`);
    expect(error.message).toContain(problem);
    expect(error.hint).toContain('set api.image');
  });

  it('an unreadable path (a folder) is a config error naming it', async () => {
    const dir = path.join(root, 'a-folder.yml');
    await mkdir(dir);
    const error = await failure(readComposeApiService(dir));
    expect(error.message).toBe(`Cannot read the docker compose file ${dir} (EISDIR)`);
  });

  it("reads the repository's docker-compose.qa.yml: the shop image, its build and HOST per path", async () => {
    expect(
      await readComposeApiService(path.join(REPO, 'docker-compose.qa.yml'), { env: {} }),
    ).toEqual({
      file: path.join(REPO, 'docker-compose.qa.yml'),
      image: 'venomqa/shop-api:latest',
      build: path.join(REPO, 'examples/shop'),
      dockerfile: path.join(REPO, 'images/shop/Dockerfile'),
      buildArgs: { BASE_IMAGE: 'debian:trixie-slim' },
      target: null,
      env: { HOST: '{host}' },
    });
  });

  it('reads build args (mapping or list, values from the environment for bare keys) and target, as compose build does', async () => {
    const mapping = await composeFile(`
services:
  api:
    image: shop:dev
    build:
      context: .
      target: \${STAGE:-runtime}
      args:
        BASE_IMAGE: \${BASE:-node:22-slim}
        RETRIES: 3
        DEBUG: false
        NPM_TOKEN:
        NOT_IN_SHELL:
`);
    expect(
      await readComposeApiService(mapping, { env: { NPM_TOKEN: 'from-shell' } }),
    ).toMatchObject({
      buildArgs: {
        BASE_IMAGE: 'node:22-slim',
        RETRIES: '3',
        DEBUG: 'false',
        NPM_TOKEN: 'from-shell',
      },
      target: 'runtime',
    });
    const list = await composeFile(`
services:
  api:
    image: shop:dev
    build:
      context: .
      args:
        - VERSION=\${VERSION:-1.0}
        - EMPTY=
        - FROM_SHELL
        - UNSET
`);
    const service = await readComposeApiService(list, { env: { FROM_SHELL: 'yes' } });
    expect(service?.buildArgs).toEqual({ VERSION: '1.0', EMPTY: '', FROM_SHELL: 'yes' });
    expect(service?.target).toBeNull();
  });

  it('a malformed build target or args is a config error at its line', async () => {
    const target = await composeFile(
      'services:\n  api:\n    image: x\n    build:\n      context: .\n      target: [a]\n',
    );
    expect((await failure(readComposeApiService(target))).message).toMatch(
      /:6:\d+ is malformed: services\.api\.build\.target must be a stage name/,
    );
    const args = await composeFile(
      'services:\n  api:\n    image: x\n    build:\n      context: .\n      args: 7\n',
    );
    expect((await failure(readComposeApiService(args))).message).toContain(
      'services.api.build.args must be a list of KEY=value or a mapping',
    );
  });
});

describe('substituteComposeVariables', () => {
  const env = { SET: 'value', EMPTY: '' };
  it.each([
    ['${SET}', 'value'],
    ['$SET/x', 'value/x'],
    ['${UNSET}', ''],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${SET:?no}', 'value'],
    ['$$SET $${SET}', '$SET ${SET}'],
    ['cost: 5$', 'cost: 5$'],
    ['${SET:-a:b}', 'value'],
  ])('%s → %j', (text, value) => {
    expect(substituteComposeVariables(text, env)).toEqual({ value });
  });

  it.each([
    ['${UNSET:?needed}', 'variable UNSET is required: needed'],
    ['${EMPTY:?}', 'variable EMPTY is required'],
    ['${UNSET?}', 'variable UNSET is required'],
    ['${open', "'${open' is not a valid substitution"],
    ['${1BAD}', "'${1BAD}' is not a valid substitution"],
  ])('%s is a problem', (text, problem) => {
    expect(substituteComposeVariables(text, env).problem).toContain(problem);
  });
});

describe('createTarget with docker_compose_file', () => {
  const daemon = (): Promise<DockerDaemon> =>
    Promise.resolve({
      docker: {} as Docker,
      endpoint: { type: 'socket', socketPath: '/fake.sock', label: 'fake' },
      strategy: 'fake',
    });
  const noDaemon = (): Promise<DockerDaemon> =>
    Promise.reject(new DockerUnavailableError([{ strategy: 'fake', reason: 'not running' }]));
  const config = (composeFile: string, api: QAConfig['api']) =>
    resolveConfig({
      cwd: root,
      env: {},
      file: null,
      overrides: { docker_compose_file: composeFile, api },
    });
  const SHOP = 'services:\n  api:\n    image: shop:compose\n    build: ./shop\n';

  it('docker without api.image starts the api service of the compose file, and says so', async () => {
    const file = await composeFile(SHOP);
    const progress: string[] = [];
    const target = await createTarget(config(file, { mode: 'docker' }), {
      findDocker: daemon,
      onProgress: (line) => progress.push(line),
    });
    expect(target).toBeInstanceOf(DockerTarget);
    expect(describeTarget(target)).toBe('API: image shop:compose started per path (docker)');
    expect(progress).toEqual([
      `api.image is not set: the API is the api service of ${file} (image shop:compose, built from ${path.join(path.dirname(file), 'shop')} when its inputs change)`,
    ]);
  });

  it('api.image wins, and the compose file is then not read at all', async () => {
    const file = await composeFile('services: [not, read]\n');
    const target = await createTarget(config(file, { mode: 'docker', image: 'mine:1' }), {
      findDocker: daemon,
    });
    expect(describeTarget(target)).toBe('API: image mine:1 started per path (docker)');
  });

  it('docker without api.image and without an api service is the config error naming the file', async () => {
    const missing = path.join(root, 'absent', 'docker-compose.qa.yml');
    const error = await failure(
      createTarget(config(missing, { mode: 'docker' }), { findDocker: daemon }),
    );
    expect(error.message).toBe('api.mode is docker but api.image is not set');
    expect(error.hint).toContain(`add an \`api\` service to ${missing}`);
    const other = await composeFile('services:\n  web:\n    image: nginx\n');
    await expect(
      createTarget(config(other, { mode: 'docker' }), { findDocker: daemon }),
    ).rejects.toThrow('api.mode is docker but api.image is not set');
  });

  it('a malformed compose file fails createTarget before Docker is asked', async () => {
    const file = await composeFile('services:\n  api:\n    image: 42\n');
    const error = await failure(
      createTarget(config(file, { mode: 'docker' }), {
        findDocker: () => Promise.reject(new Error('must not be called')),
      }),
    );
    expect(error.message).toContain(`${file}:3:`);
  });

  it('auto: the compose service when a daemon answers, else api.command', async () => {
    const file = await composeFile(SHOP);
    const both = config(file, { mode: 'auto', command: 'node server.js' });
    expect(await createTarget(both, { findDocker: daemon })).toBeInstanceOf(DockerTarget);
    const progress: string[] = [];
    expect(
      await createTarget(both, { findDocker: noDaemon, onProgress: (l) => progress.push(l) }),
    ).toBeInstanceOf(ProcessTarget);
    expect(progress).toEqual([
      'No Docker daemon answered; starting the API with api.command instead of the image shop:compose.',
    ]);
    await expect(
      createTarget(config(file, { mode: 'auto' }), { findDocker: noDaemon }),
    ).rejects.toBeInstanceOf(DockerUnavailableError);
  });

  it('auto: no image and no compose service leaves the old rules (command, else a config error)', async () => {
    const missing = path.join(root, 'absent', 'docker-compose.qa.yml');
    const notAsked = () => Promise.reject(new Error('must not be called'));
    expect(
      await createTarget(config(missing, { mode: 'auto', command: 'node server.js' }), {
        findDocker: notAsked,
      }),
    ).toBeInstanceOf(ProcessTarget);
    const error = await failure(
      createTarget(config(missing, { mode: 'auto' }), { findDocker: notAsked }),
    );
    expect(error.message).toContain('neither api.command nor api.image');
    expect(error.hint).toContain(missing);
  });

  it('api.env wins over the service environment per variable, api.build over its build', async () => {
    const file = await composeFile(
      'services:\n  api:\n    image: shop:compose\n' +
        '    build:\n      context: ./shop\n      target: test\n      args: { A: compose, B: compose }\n' +
        '    environment:\n      LOG_LEVEL: debug\n      MODE: compose\n      HOST: 0.0.0.0\n',
    );
    // The options reach DockerTarget's private fields only: record them on the way in.
    const seen: DockerTargetOptions[] = [];
    vi.resetModules();
    vi.doMock('../../../src/api/docker-target.js', () => ({
      DockerTarget: class {
        constructor(options: DockerTargetOptions) {
          seen.push(options);
        }
      },
    }));
    try {
      const { createTarget: create } = await import('../../../src/api/create-target.js');
      await create(
        config(file, {
          mode: 'docker',
          env: { MODE: 'venomqa', PORT: '{port}' },
          build_args: { B: 'venomqa' },
        }),
        { findDocker: daemon },
      );
      await create(
        config(file, {
          mode: 'docker',
          build: 'own',
          dockerfile: 'own/Dockerfile',
          build_args: { C: 'own' },
        }),
        { findDocker: daemon },
      );
    } finally {
      vi.doUnmock('../../../src/api/docker-target.js');
      vi.resetModules();
    }
    expect(seen[0]).toMatchObject({
      image: 'shop:compose',
      build: path.join(path.dirname(file), 'shop'),
      dockerfile: null,
      buildArgs: { A: 'compose', B: 'venomqa' },
      buildTarget: 'test',
      env: { LOG_LEVEL: 'debug', MODE: 'venomqa', HOST: '{host}', PORT: '{port}' },
    });
    // api.build and api.dockerfile go together (relative to the cwd here: no config file), and
    // replace the service's build with its args and target.
    expect(seen[1]).toMatchObject({
      image: 'shop:compose',
      build: path.join(root, 'own'),
      dockerfile: path.join(root, 'own/Dockerfile'),
      buildArgs: { C: 'own' },
      buildTarget: null,
    });
    // venomqa's own BASE_IMAGE never reaches a user's Dockerfile.
    for (const options of seen) expect(options).not.toHaveProperty('baseImage');
  });

  it('reads ${VAR} in the compose file from the env option', async () => {
    const file = await composeFile('services:\n  api:\n    image: shop:${TAG}\n');
    const target = await createTarget(config(file, { mode: 'docker' }), {
      findDocker: daemon,
      env: { TAG: 'from-env' },
    });
    expect(describeTarget(target)).toBe('API: image shop:from-env started per path (docker)');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
