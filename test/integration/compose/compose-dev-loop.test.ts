import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { listLabelledContainers, stopAndRemove } from '../../../src/docker/started-container.js';
import { findFreePort } from '../../../src/free-port.js';
import { REPO } from '../runner/shop-fixture.js';
import { runCli } from '../support/run-cli.js';
import { dockerAvailable, serviceAvailable } from '../support/services.js';

const COMPOSE_FILE = join(REPO, 'docker-compose.qa.yml');
/** The label docker-compose puts on every container of a project. */
const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';

const hasDocker = await dockerAvailable();
// CI installs docker-compose (.ci/run), so with VENOMQA_REQUIRE_DOCKER=1 a missing one fails.
const hasCompose =
  hasDocker &&
  (await serviceAvailable('docker-compose', 'VENOMQA_REQUIRE_DOCKER', async () => {
    const result = await execa('docker-compose', ['version', '--short'], { reject: false });
    return result.exitCode === 0;
  }));

interface JsonReport {
  passed: number;
  failed: number;
  journeys: { name: string; status: string; apiMode: string; parallelPaths: number }[];
}

async function readReport(dir: string): Promise<JsonReport> {
  return JSON.parse(await readFile(join(dir, 'venomqa-report.json'), 'utf8')) as JsonReport;
}

/** Two distinct free loopback ports. */
async function twoFreePorts(): Promise<[number, number]> {
  const first = await findFreePort();
  let second = await findFreePort();
  while (second === first) second = await findFreePort();
  return [first, second];
}

describe.skipIf(!hasCompose)('docker-compose.qa.yml: the local docker dev loop', () => {
  // A project of its own, so a developer's running dev loop (default project, default ports)
  // is never touched.
  const project = `venomqa-it-${randomBytes(4).toString('hex')}`;
  const password = `dev-${randomBytes(6).toString('hex')}`;
  let composeEnv: Record<string, string | undefined>;
  let dbUrl: string;
  let baseUrl: string;
  const dirs: string[] = [];

  const compose = (args: string[], timeout = 120_000) =>
    execa('docker-compose', ['-f', COMPOSE_FILE, '-p', project, ...args], {
      cwd: REPO,
      env: composeEnv,
      reject: false,
      all: true,
      timeout,
    });

  beforeAll(async () => {
    const [pgPort, apiPort] = await twoFreePorts();
    composeEnv = {
      VENOMQA_QA_PG_PORT: String(pgPort),
      VENOMQA_QA_API_PORT: String(apiPort),
      VENOMQA_QA_PASSWORD: password,
      // CI builds from its local base; unset, the file's default (debian:trixie-slim) applies.
      VENOMQA_BASE_IMAGE: process.env.VENOMQA_BASE_IMAGE,
    };
    dbUrl = `postgresql://venomqa:${password}@127.0.0.1:${pgPort}/shop`;
    baseUrl = `http://127.0.0.1:${apiPort}`;

    // The images are built once and kept (they are cache); up waits for db to be healthy
    // before it starts the API (depends_on: condition: service_healthy).
    const up = await compose(['up', '-d', '--build'], 900_000);
    if (up.exitCode !== 0) {
      throw new Error(
        `docker-compose up failed (exit ${up.exitCode}):\n${up.all.split('\n').slice(-40).join('\n')}`,
      );
    }
    const deadline = Date.now() + 90_000;
    let last = '';
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return;
        last = `answered ${response.status}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(250);
    }
    const logs = await compose(['logs', '--no-color', '--tail=30']);
    throw new Error(`The shop API at ${baseUrl} never became healthy (${last}):\n${logs.all}`);
  }, 1_000_000);

  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    // The global leak check only knows containers labelled with this run's id, which compose's
    // are not: take the project down here and check that nothing of it is left.
    const down = await compose(['down', '-v', '--remove-orphans', '-t', '5']);
    const { docker } = await findDockerDaemon();
    const left = await listLabelledContainers(docker, { [COMPOSE_PROJECT_LABEL]: project });
    // Whatever went wrong, do not leave them running for the next test run.
    await Promise.all(left.map((c) => stopAndRemove(docker, c.Id, 0).catch(() => undefined)));
    expect(down.exitCode, down.all).toBe(0);
    expect(left.map((c) => c.Names.join(','))).toEqual([]);
  }, 120_000);

  it('runs the shop journey against the running API (shared mode) and leaves the database as it was', async () => {
    const stats = async (): Promise<unknown> => (await fetch(`${baseUrl}/stats`)).json();
    expect(await stats()).toEqual({ users: 0, orders: 0, payments: 0 });
    const reports = await mkdtemp(join(tmpdir(), 'venomqa-compose-reports-'));
    dirs.push(reports);
    const run = await runCli(
      ['run', '-c', 'examples/shop/venomqa.yaml', '--report-dir', reports],
      REPO,
      {
        VENOMQA_DB_URL: dbUrl,
        VENOMQA_BASE_URL: baseUrl,
        VENOMQA_API_MODE: 'shared',
        // examples/shop/venomqa.yaml asks for 3; one shared API runs paths one at a time.
        VENOMQA_PARALLEL_PATHS: '1',
      },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `API: the running one at ${baseUrl} (shared; paths run one at a time)`,
    );
    expect(run.stderr).toContain('✓ checkout › add_item_then_pay/declined_then_cancel');
    expect(run.stdout).toMatch(/^1 journey passed, 0 failed/);
    // The password stays out of what venomqa prints.
    expect(run.stderr + run.stdout).not.toContain(password);
    const report = await readReport(reports);
    expect(report).toMatchObject({ passed: 1, failed: 0 });
    expect(report.journeys).toMatchObject([
      { name: 'checkout', status: 'passed', apiMode: 'shared', parallelPaths: 1 },
    ]);
    // Restored in place between paths and reset after the journey: the dev database is clean.
    expect(await stats()).toEqual({ users: 0, orders: 0, payments: 0 });
  });

  it('refuses --parallel 3 against one shared API (exit 2), naming api.mode process or docker', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'venomqa-compose-reports-'));
    dirs.push(reports);
    const run = await runCli(
      ['run', '-c', 'examples/shop/venomqa.yaml', '--report-dir', reports, '--parallel', '3'],
      REPO,
      { VENOMQA_DB_URL: dbUrl, VENOMQA_BASE_URL: baseUrl, VENOMQA_API_MODE: 'shared' },
    );
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      "parallel_paths is 3, but api.mode 'shared' has one API for every path",
    );
    expect(run.stderr).toMatch(/api\.mode to process .*or docker/);
  });
});

describe.skipIf(!hasDocker)('api.mode docker with the api service of docker-compose.qa.yml', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'venomqa-compose-target-'));
    // No api.image: the target takes image, build and environment from the compose file.
    await writeFile(
      join(dir, 'venomqa.yaml'),
      [
        `journeys: [${JSON.stringify(join(REPO, 'examples/shop/journeys'))}]`,
        `docker_compose_file: ${JSON.stringify(COMPOSE_FILE)}`,
        'parallel_paths: 3',
        // Relative to this file (the CLI runs from the repository root).
        'report_dir: reports',
        'report_formats: [json]',
        'server:',
        '  provider: docker',
        '  network: host',
        'api:',
        '  mode: docker',
        '  health: /health',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the shop journey with a container of the compose image per API slot', async () => {
    // From the repository root, where tsconfig.json maps 'venomqa' (imported by the journey)
    // to this checkout's source.
    const run = await runCli(['run', '-c', join(dir, 'venomqa.yaml')], REPO, {
      VENOMQA_SERVER_NETWORK: 'host',
      VENOMQA_BASE_IMAGE: process.env.VENOMQA_BASE_IMAGE ?? 'venomqa/base:trixie',
      // Nothing from the outer environment may pick another API or database.
      VENOMQA_API_MODE: undefined,
      VENOMQA_DB_URL: undefined,
      VENOMQA_CONFIG: undefined,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `api.image is not set: the API is the api service of ${COMPOSE_FILE} (image venomqa/shop-api:latest`,
    );
    expect(run.stderr).toContain(
      'API: image venomqa/shop-api:latest started once per slot, 3 slots',
    );
    const report = await readReport(join(dir, 'reports'));
    expect(report.journeys).toMatchObject([
      { name: 'checkout', status: 'passed', apiMode: 'docker', parallelPaths: 3 },
    ]);
    // The containers carry this run's id: the global teardown fails the run if one is left.
  });
});
