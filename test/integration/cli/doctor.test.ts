import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../../src/free-port.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { formatPostgresUrl, parsePostgresUrl } from '../../../src/server/postgres-url.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { startTestPostgres } from '../state/embedded-server.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { dockerAvailable } from '../support/services.js';
import { MYSQL_URL, REDIS_URL, mysqlAvailable, redisAvailable } from '../state/state-services.js';

const SECRET = 'doctor-secret-5b1e';
const hasMysql = await mysqlAvailable();
const hasRedis = await redisAvailable();

interface Report {
  ok: boolean;
  checks: { id: string; status: string; detail: string; fix?: string }[];
}

/** The check's line of the text output: `FAIL  docker  … → fix: …`. */
function line(result: CliResult, id: string): string {
  return result.stdout.split('\n').find((l) => new RegExp(`^\\w+\\s+${id}\\s`).test(l)) ?? '';
}

/**
 * `venomqa doctor` on real broken setups: a Docker daemon that is not running, a socket that
 * is not there, a role without CREATEDB, too few connections for parallel_paths, psql missing.
 * Each names the broken part and its fix on one line; a failure exits 3.
 */
describe('venomqa doctor', () => {
  let server: PostgresServer;
  let project: string;
  let noPsqlBin: string;
  let docker = false;
  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
    ...extra,
  });
  const urlAs = (user: string, password: string, database: string): string => {
    const { host, port } = parsePostgresUrl(server.adminUrl);
    return formatPostgresUrl({ host, port, user, password, database });
  };
  const doctor = (extra: Record<string, string>, args: string[] = []) =>
    runCli(['doctor', ...args], project, env(extra));

  beforeAll(async () => {
    docker = await dockerAvailable();
    server = await startTestPostgres();
    await queryOnce(server.adminUrl, 'create database app');
    await queryOnce(server.adminUrl, `create role plain login password '${SECRET}'`);
    project = await mkdtemp(join(tmpdir(), 'venomqa-doctor-'));
    await writeFile(
      join(project, 'venomqa.yaml'),
      'api:\n  mode: process\n  command: [node, server.js]\n',
    );
    noPsqlBin = await mkdtemp(join(tmpdir(), 'venomqa-doctor-bin-'));
    await symlink(process.execPath, join(noPsqlBin, 'node'));
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (project) await rm(project, { recursive: true, force: true });
    if (noPsqlBin) await rm(noPsqlBin, { recursive: true, force: true });
  });

  it('checks a server that is fine: reachable, version, CREATEDB, connections, disk', async () => {
    const result = await doctor({ VENOMQA_DB_URL: server.urlFor('app') }, ['--json']);
    const report = JSON.parse(result.stdout) as Report;
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({
      node: 'ok',
      postgres: 'ok',
      version: 'ok',
      createdb: 'ok',
      connections: 'ok',
      disk: 'ok',
      'api-command': 'ok',
      psql: 'ok',
    });
    expect(report.checks.find((c) => c.id === 'version')?.detail).toMatch(/^PostgreSQL 18\./);
    expect(result.exitCode).toBe(report.ok ? 0 : 3);
    expect(result.stdout).not.toContain(server.adminUrl.split('@')[0]?.split(':')[2] ?? SECRET);
  });

  it('a Docker daemon that is stopped: DOCKER_HOST names a socket that does not exist', async () => {
    const socket = join(project, 'docker.sock');
    const result = await doctor({ DOCKER_HOST: `unix://${socket}` });
    expect(result.exitCode).toBe(3);
    expect(line(result, 'docker')).toMatch(
      new RegExp(
        `^FAIL\\s+docker\\s+DOCKER_HOST=unix://${escape(socket)}: no socket there, so no daemon listens \\(connect ENOENT .*\\): the daemon is stopped, or this is the wrong socket`,
      ),
    );
    expect(line(result, 'docker')).toContain(
      '→ fix: Start the Docker daemon (`sudo systemctl start docker`, or `dockerd &`); or point DOCKER_HOST at the daemon’s socket',
    );
    expect(result.stdout).toMatch(/^1 check failed: docker$/m);
  });

  it('a Docker daemon that is stopped, over TCP; venomqa finds the default socket behind it', async () => {
    const port = await findFreePort();
    const result = await doctor({ DOCKER_HOST: `tcp://127.0.0.1:${port}` });
    expect(result.exitCode).toBe(3);
    expect(line(result, 'docker')).toMatch(
      new RegExp(
        `^FAIL\\s+docker\\s+DOCKER_HOST=tcp://127\\.0\\.0\\.1:${port}: nothing listens there \\(connect ECONNREFUSED`,
      ),
    );
    expect(line(result, 'docker')).toContain('→ fix: Start the Docker daemon');
    // The socket strategies ping their own socket, not DOCKER_HOST's host (dockerode's default).
    if (docker) {
      expect(line(result, 'docker')).toContain(
        'venomqa fell back to unix:///var/run/docker.sock, found by the default socket strategy',
      );
    }
  });

  it('the wrong socket: DOCKER_HOST names a socket where something other than Docker answers', async () => {
    const socket = join(project, 'not-docker.sock');
    const other = createServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    });
    await new Promise<void>((resolve) => other.listen(socket, resolve));
    try {
      const result = await doctor({ DOCKER_HOST: `unix://${socket}` });
      expect(result.exitCode).toBe(3);
      expect(line(result, 'docker')).toMatch(
        new RegExp(
          `^FAIL\\s+docker\\s+DOCKER_HOST=unix://${escape(socket)} answers, but not as a Docker daemon \\(\\(HTTP code 404\\).*\\): the wrong socket`,
        ),
      );
      expect(line(result, 'docker')).toContain('→ fix: Point DOCKER_HOST at the daemon’s socket');
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('a docker context whose daemon is gone: named, with the context command that fixes it', async () => {
    const config = join(project, 'docker-config');
    const meta = join(
      config,
      'contexts',
      'meta',
      createHash('sha256').update('remote-box').digest('hex'),
    );
    await mkdir(meta, { recursive: true });
    await writeFile(join(config, 'config.json'), JSON.stringify({ currentContext: 'remote-box' }));
    const socket = join(project, 'remote-box.sock');
    await writeFile(
      join(meta, 'meta.json'),
      JSON.stringify({ Name: 'remote-box', Endpoints: { docker: { Host: `unix://${socket}` } } }),
    );
    const result = await doctor({ DOCKER_CONFIG: config });
    expect(result.exitCode).toBe(3);
    expect(line(result, 'docker')).toMatch(
      new RegExp(
        `^FAIL\\s+docker\\s+the docker context in use \\(${escape(socket)}\\): no socket there`,
      ),
    );
    expect(line(result, 'docker')).toContain(
      'or switch to a context whose daemon runs (`docker context use default`',
    );
  });

  it('a role without CREATEDB, with the ALTER ROLE that fixes it, and no password shown', async () => {
    const result = await doctor({ VENOMQA_DB_URL: urlAs('plain', SECRET, 'app') });
    expect(result.exitCode).toBe(3);
    expect(line(result, 'postgres')).toMatch(/^OK\s+postgres\s+postgresql:\/\/plain:\*\*\*@/);
    expect(line(result, 'createdb')).toMatch(
      /^FAIL\s+createdb\s+role plain lacks CREATEDB: .* → fix: As a superuser: `ALTER ROLE plain CREATEDB;`/,
    );
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('too few connections for parallel_paths APIs and their pools', async () => {
    const result = await doctor({
      VENOMQA_DB_URL: server.urlFor('app'),
      VENOMQA_PARALLEL_PATHS: '40',
    });
    expect(result.exitCode).toBe(3);
    expect(line(result, 'connections')).toMatch(
      /^FAIL\s+connections\s+max_connections 300, \d+ in use, \d+ reserved for superusers: \d+ free, but a run needs 40 APIs × a pool of 10 \(a guess: --pool-size N\) \+ 8 of venomqa's = 408 → fix: Raise max_connections/,
    );
    const smaller = await doctor(
      { VENOMQA_DB_URL: server.urlFor('app'), VENOMQA_PARALLEL_PATHS: '40' },
      ['--pool-size', '2'],
    );
    expect(line(smaller, 'connections')).toMatch(/^OK\s+connections/);
  });

  it('an unreachable server is a failed check, not a crash', async () => {
    const port = await findFreePort();
    const result = await doctor({
      VENOMQA_DB_URL: `postgresql://plain:${SECRET}@127.0.0.1:${port}/app`,
    });
    expect(result.exitCode).toBe(3);
    expect(line(result, 'postgres')).toMatch(
      /^FAIL\s+postgres\s+Connection refused to postgresql:\/\/plain:\*\*\*@127\.0\.0\.1/,
    );
    expect(line(result, 'postgres')).toContain('→ fix: ');
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('psql missing from PATH, or from VENOMQA_PG_BIN: named, with how to install it', async () => {
    const result = await doctor({ PATH: noPsqlBin });
    expect(line(result, 'psql')).toMatch(
      /^WARN\s+psql\s+psql is not on PATH .* → fix: Install the PostgreSQL client: Debian\/Ubuntu `sudo apt-get install postgresql-client`/,
    );
    // node itself is found through this PATH; the API command `node` too.
    expect(line(result, 'api-command')).toMatch(/^OK\s+api-command/);
    const pgBin = await doctor({ VENOMQA_PG_BIN: noPsqlBin });
    expect(line(pgBin, 'psql')).toMatch(
      new RegExp(
        `^WARN\\s+psql\\s+psql is not in VENOMQA_PG_BIN \\(${escape(noPsqlBin)}\\);.* → fix: Install the PostgreSQL client`,
      ),
    );
  });

  it('the API command missing: a FAIL naming it and where it was looked for', async () => {
    const other = await mkdtemp(join(tmpdir(), 'venomqa-doctor-api-'));
    try {
      await writeFile(
        join(other, 'venomqa.yaml'),
        'api:\n  mode: process\n  command: [no-such-api-server, --port, 3000]\n',
      );
      const result = await runCli(['doctor'], other, env());
      expect(result.exitCode).toBe(3);
      expect(line(result, 'api-command')).toMatch(
        /^FAIL\s+api-command\s+`no-such-api-server` \(the first word of api.command\) is not in .* → fix: Install the project’s dependencies/,
      );
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('with no server running, judges the one each run starts from the config', async () => {
    const result = await doctor({ VENOMQA_SERVER_PROVIDER: 'embedded' }, ['--json']);
    const report = JSON.parse(result.stdout) as Report;
    const check = (id: string) => report.checks.find((c) => c.id === id);
    expect(check('postgres')?.detail).toContain('each run starts embedded PostgreSQL');
    expect(check('version')?.detail).toMatch(/^PostgreSQL 18: /);
    expect(check('createdb')?.status).toBe('ok');
    expect(check('connections')?.detail).toMatch(
      /^max_connections 300, .* a run needs 1 API × a pool of 10/,
    );
  });

  it('checks the managed database of `venomqa db up`, and the disk and reflink of its folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'venomqa-doctor-managed-'));
    try {
      await writeFile(
        join(dir, 'venomqa.yaml'),
        'api:\n  mode: process\n  command: [node, server.js]\nserver:\n  provider: embedded\n',
      );
      const up = await runCli(['db', 'up'], dir, env());
      expect(up.exitCode, up.stderr).toBe(0);
      try {
        const result = await runCli(['doctor', '--json'], dir, env());
        const report = JSON.parse(result.stdout) as Report;
        const check = (id: string) => report.checks.find((c) => c.id === id);
        expect(check('postgres')?.detail).toMatch(
          /^postgresql:\/\/venomqa:\*\*\*@127\.0\.0\.1:\d+\/venomqa answers \(the managed `venomqa db`, embedded\)$/,
        );
        expect(check('createdb')?.detail).toContain('(superuser)');
        expect(check('connections')?.detail).toMatch(/^max_connections 300, 0 in use/);
        expect(check('disk')?.status).toBe('ok');
        // The cluster's folder (server.data_dir, or where the test setup puts clusters).
        const folder = /free on (\/\S+); 2 copies of the \d+ MB working database need/.exec(
          check('disk')?.detail ?? '',
        )?.[1];
        expect(folder).toBeDefined();
        // ok on XFS with reflink or btrfs, a warning with the fix elsewhere: never skipped here.
        expect(['ok', 'warn']).toContain(check('reflink')?.status);
        expect(check('reflink')?.detail).toContain(`${folder ?? '?'} c`);
      } finally {
        await runCli(['db', 'down', '--force'], dir, env());
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  /** `venomqa doctor` in a project whose shared API keeps its state in `backend` at `url`. */
  const sharedOn = async (backend: string, url: string) => {
    const dir = await mkdtemp(join(tmpdir(), 'venomqa-doctor-svc-'));
    try {
      await writeFile(join(dir, 'venomqa.yaml'), `db_backend: ${backend}\napi:\n  mode: shared\n`);
      return await runCli(['doctor'], dir, env({ VENOMQA_DB_URL: url }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  it.runIf(hasMysql)(
    'MariaDB: OK when it answers, FAIL with the fix on a wrong password',
    async () => {
      const good = await sharedOn('mysql', MYSQL_URL ?? '');
      expect(line(good, 'mysql')).toMatch(/^OK\s+mysql\s+mysql:\/\/.*answers \(db_backend mysql\)/);
      expect(line(good, 'postgres')).toMatch(
        /^SKIP\s+postgres\s+api.mode shared with db_backend mysql/,
      );
      expect(good.exitCode).toBe(0);
      const wrong = new URL(MYSQL_URL ?? '');
      wrong.password = SECRET;
      const bad = await sharedOn('mysql', wrong.href);
      expect(bad.exitCode).toBe(3);
      expect(line(bad, 'mysql')).toMatch(/^FAIL\s+mysql\s+Authentication failed .* → fix: /);
      expect(bad.stdout + bad.stderr).not.toContain(SECRET);
    },
  );

  it.runIf(hasRedis)(
    'Redis: OK when it answers, FAIL with the fix when nothing listens',
    async () => {
      const good = await sharedOn('redis', REDIS_URL ?? '');
      expect(line(good, 'redis')).toMatch(/^OK\s+redis\s+redis:\/\/.*answers \(db_backend redis\)/);
      const port = await findFreePort();
      const bad = await sharedOn('redis', `redis://127.0.0.1:${port}/0`);
      expect(bad.exitCode).toBe(3);
      expect(line(bad, 'redis')).toMatch(
        new RegExp(
          `^FAIL\\s+redis\\s+Connection refused to redis://127\\.0\\.0\\.1:${port}/0.* → fix: Start Redis`,
        ),
      );
    },
  );
});

/** A path as a literal in a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
