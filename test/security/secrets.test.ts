import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresServer } from '../../src/server/postgres-server.js';
import { startEmbeddedPostgres } from '../../src/server/embedded-postgres.js';
import { withDatabase } from '../../src/server/postgres-url.js';
import { queryOnce } from '../../src/server/wait-for-postgres.js';
import { dockerAvailable } from '../integration/support/services.js';
import { runCli } from '../integration/support/run-cli.js';
import { CliChild } from '../reliability/support/cli-child.js';
import { printFigures } from '../reliability/support/figures.js';
import {
  cliEnv,
  shopConfig,
  shopJourney,
  tempProject,
} from '../reliability/support/temp-project.js';
import {
  CANARY,
  canaryInProcessTable,
  filesUnder,
  findCanary,
  inspectContainersOfRun,
} from './support/canary.js';

const hasDocker = await dockerAvailable();
const SHOP_IMAGE = 'venomqa/shop-api:latest';

/** An API that prints the database URL it was given, then dies: its logs reach the error. */
const LEAKY_API = `console.log('connecting to ' + process.env.DATABASE_URL); console.error(JSON.stringify({ url: process.env.DATABASE_URL })); process.exit(3);`;

describe('secrets: a URL-hostile canary password never shows in output, files, the process table or docker inspect', () => {
  let server: PostgresServer;
  let project: { dir: string; remove: () => Promise<void> };
  const leaks: string[] = [];
  const places: string[] = [];
  let env: Record<string, string> = {};
  let lastStderr = '';

  beforeAll(async () => {
    server = await startEmbeddedPostgres({
      port: null,
      user: 'venomqa',
      password: CANARY,
      database: 'venomqa',
      startupTimeoutMs: 60_000,
    });
    await queryOnce(server.adminUrl, 'create database shop');
    project = await tempProject('secrets', {
      'venomqa.yaml': shopConfig([
        `  image: ${SHOP_IMAGE}`,
        '  env:',
        "    DATABASE_URL: '{database_url}'",
        "    PORT: '{port}'",
        "    HOST: '{host}'",
      ]),
      'journeys/shop.journey.mjs': shopJourney({
        name: 'shop',
        paths: ['p1', 'p2', 'p3'],
        pathDelayMs: 1500,
        failing: ['p3'],
      }),
      'leaky/venomqa.yaml': shopConfig().replace(
        /command: .*/,
        `command: [node, -e, ${JSON.stringify(LEAKY_API)}]`,
      ),
      'leaky/journeys/shop.journey.mjs': shopJourney({ name: 'shop', paths: ['p1'] }),
      'managed/venomqa.yaml': `server:\n  provider: docker\n  password: ${JSON.stringify(CANARY)}\n`,
    });
    env = cliEnv({
      VENOMQA_DB_URL: server.urlFor('shop'),
      VENOMQA_BASE_IMAGE: process.env.VENOMQA_BASE_IMAGE,
      VENOMQA_SERVER_NETWORK: process.env.VENOMQA_SERVER_NETWORK ?? 'host',
    });
  });

  afterAll(async () => {
    await project?.remove();
    await server?.stop();
  });

  /** Run the CLI, watching the process table (and Docker) while it lives; scan its output. */
  async function watched(
    name: string,
    args: string[],
    extraEnv: Record<string, string | undefined> = {},
    cwd = project.dir,
  ): Promise<number | undefined> {
    lastStderr = '';
    const runId = extraEnv.VENOMQA_RUN_ID ?? `sec-${randomBytes(4).toString('hex')}`;
    const child = new CliChild(args, cwd, { ...env, VENOMQA_RUN_ID: runId, ...extraEnv });
    let live = true;
    let samples = 0;
    let inspected = 0;
    const watcher = (async () => {
      while (live) {
        leaks.push(...(await canaryInProcessTable()).map((l) => `${name}: ${l}`));
        if (hasDocker) {
          const inspect = await inspectContainersOfRun(runId).catch(() => '');
          if (inspect !== '') inspected += 1;
          leaks.push(...findCanary(`${name}: docker inspect`, inspect));
        }
        samples += 1;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();
    const result = await child.exited;
    live = false;
    await watcher;
    leaks.push(...findCanary(`${name}: stdout`, result.stdout));
    leaks.push(...findCanary(`${name}: stderr`, result.stderr));
    places.push(
      `${name} (exit ${result.exitCode}; ${samples} process-table samples${hasDocker ? `, ${inspected} docker inspects` : ''})`,
    );
    lastStderr = result.stderr;
    return result.exitCode;
  }

  it('a run with a failing path, verbose and as JSON: the API processes, output and reports', async () => {
    expect(await watched('run -v', ['run', '-v'])).toBe(1);
    // Only the path meant to fail failed: the APIs got their database.
    expect(lastStderr).toMatch(/✓ shop › p1/);
    expect(await watched('run --json', ['run', '--json'])).toBe(1);
  });

  it.runIf(hasDocker)(
    'a run with its APIs in Docker: docker inspect of every container',
    async () => {
      expect(
        await watched('run, API in Docker', ['run', '-v'], { VENOMQA_API_MODE: 'docker' }),
      ).toBe(1);
      // The containers' DATABASE_URL came through the file: the paths meant to pass passed.
      expect(lastStderr).toMatch(/✓ shop › p1/);
      expect(lastStderr).toMatch(/✓ shop › p2/);
    },
  );

  it('an API that prints its DATABASE_URL and dies: the error, its log lines and the reports', async () => {
    const code = await watched('run, leaky API', ['run', '-v'], {}, `${project.dir}/leaky`);
    expect(code).not.toBe(0);
  });

  it('a wrong password (the canary): the authentication error', async () => {
    const wrong = withDatabase(server.adminUrl.replace(/vqaCanary7Q/, 'vqaCanary7Qx'), 'shop');
    expect(
      await watched('snapshot list, wrong password', ['snapshot', 'list'], {
        VENOMQA_DB_URL: wrong,
      }),
    ).toBe(3);
    expect(await watched('run, wrong password', ['run'], { VENOMQA_DB_URL: wrong })).toBe(3);
  });

  it('db status, config and snapshot commands on the right password', async () => {
    for (const args of [
      ['config'],
      ['snapshot', 'create', 'sec_snap'],
      ['snapshot', 'list', '--json'],
      ['snapshot', 'delete', 'sec_snap', '--force'],
    ]) {
      const result = await runCli(args, project.dir, env);
      leaks.push(...findCanary(`${args.join(' ')}: stdout`, result.stdout));
      leaks.push(...findCanary(`${args.join(' ')}: stderr`, result.stderr));
      places.push(`${args.join(' ')} (exit ${result.exitCode})`);
    }
  });

  it.runIf(hasDocker)(
    'PostgreSQL in Docker with the canary as server.password: db up, status, snapshots, export, the container',
    async () => {
      const dir = `${project.dir}/managed`;
      const runId = `sec-db-${randomBytes(4).toString('hex')}`;
      const managed = {
        VENOMQA_DB_URL: undefined,
        VENOMQA_SERVER_PROVIDER: 'docker',
        VENOMQA_RUN_ID: runId,
      };
      await watched('db up (Docker)', ['db', 'up'], managed, dir);
      try {
        const inspect = await inspectContainersOfRun(runId);
        expect(inspect, 'the PostgreSQL container of db up').not.toBe('');
        leaks.push(...findCanary('docker inspect of the PostgreSQL container', inspect));
        for (const args of [
          ['db', 'status'],
          ['db', 'url'],
          ['snapshot', 'create', 'sec_managed'],
          ['snapshot', 'export', 'sec_managed', 'sec.dump'],
        ]) {
          await watched(args.join(' '), args, managed, dir);
        }
      } finally {
        await watched('db down', ['db', 'down', '--force'], managed, dir);
      }
    },
  );

  it('no file any run wrote holds it, and it was found nowhere', async () => {
    const files = await filesUnder(project.dir);
    // Where the canary belongs: the config the user wrote, and the managed server's state
    // file (how later commands reach the server), which only its owner may read.
    const expected = ['managed/venomqa.yaml', 'managed/.venomqa/db.json'];
    for (const { file, text } of files) {
      const relative = file.slice(project.dir.length + 1);
      if (expected.includes(relative)) continue;
      leaks.push(...findCanary(relative, text));
    }
    const stateFile = files.find((f) => f.file.endsWith('managed/.venomqa/db.json'));
    if (stateFile) expect((await stat(stateFile.file)).mode & 0o077).toBe(0);
    printFigures(
      'secrets',
      `canary password in ${places.length} commands and ${files.length} files they wrote (reports: markdown, JUnit, JSON): found ${leaks.length} times (${places.join('; ')})`,
    );
    expect(leaks).toEqual([]);
  });
});
