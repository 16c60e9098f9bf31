import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../../src/free-port.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { formatPostgresUrl, parsePostgresUrl } from '../../../src/server/postgres-url.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { REPO } from '../runner/shop-fixture.js';
import { startTestPostgres } from '../state/embedded-server.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { enableTls } from '../support/tls-postgres.js';

const DIST = pathToFileURL(join(REPO, 'dist/index.js')).href;
const SECRET = 'not-the-password-9f3c';

const baseEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
};

/** exit 3, the error's code and the redacted URL on stderr, no "internal error", no password. */
function expectEnvironmentError(result: CliResult, code: string, text: string): void {
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.stderr, output).toContain(`error ${code}: ${text}`);
  expect(result.exitCode, output).toBe(3);
  expect(output).not.toContain('internal error');
  expect(output).not.toContain('this is a bug in venomqa');
  expect(output).not.toContain(SECRET);
  expect(result.stderr).toMatch(/^hint: .+/m);
}

describe('environment failures are typed errors with the fix (built CLI, real servers)', () => {
  let server: PostgresServer;
  let tlsServer: PostgresServer;
  let certFile = '';
  let project: string;
  let silent: Server;
  const sockets = new Set<Socket>();
  let silentPort: number;
  let closedPort: number;

  /** A URL on the test server as `user:password`, to database `database`. */
  const urlAs = (user: string, password: string, database = 'app', on = server): string => {
    const { host, port } = parsePostgresUrl(on.adminUrl);
    return formatPostgresUrl({ host, port, user, password, database });
  };

  const snapshotList = (dbUrl: string): Promise<CliResult> =>
    runCli(['snapshot', 'list'], project, { ...baseEnv, VENOMQA_DB_URL: dbUrl });
  /** `venomqa run` against the API at base_url (shared), whose database is `dbUrl`. */
  const runShared = (dbUrl: string, backend = 'postgresql'): Promise<CliResult> =>
    runCli(['run'], project, {
      ...baseEnv,
      VENOMQA_DB_URL: dbUrl,
      VENOMQA_DB_BACKEND: backend,
      VENOMQA_API_MODE: 'shared',
    });
  /** `venomqa run` starting the API per path on clones of `dbUrl`. */
  const runPerPath = (dbUrl: string): Promise<CliResult> =>
    runCli(['run'], project, { ...baseEnv, VENOMQA_DB_URL: dbUrl, VENOMQA_API_MODE: 'process' });

  beforeAll(async () => {
    [server, tlsServer] = await Promise.all([startTestPostgres(), startTestPostgres()]);
    ({ certFile } = await enableTls(tlsServer));
    await queryOnce(server.adminUrl, 'create database app');
    await queryOnce(
      server.adminUrl,
      `create role limited login password '${SECRET}' connection limit 0`,
    );
    await queryOnce(server.adminUrl, `create role nologin nologin password '${SECRET}'`);
    await queryOnce(server.adminUrl, `create role outsider login password '${SECRET}'`);
    await queryOnce(server.adminUrl, 'revoke connect on database app, postgres from public');

    // A port that accepts connections and never answers: a server that hangs.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
    closedPort = await findFreePort();

    project = await mkdtemp(join(tmpdir(), 'venomqa-env-failures-'));
    await chmod(project, 0o755);
    await writeFile(
      join(project, 'venomqa.yaml'),
      'base_url: http://127.0.0.1:9\napi:\n  command: [node, -e, "setInterval(() => {}, 1000)"]\n',
    );
    await mkdir(join(project, 'journeys'));
    await writeFile(
      join(project, 'journeys', 'probe.journey.mjs'),
      `import { Journey, Step, Checkpoint } from '${DIST}';
       export default Journey({ name: 'probe', steps: [
         Checkpoint({ name: 'start' }),
         Step({ name: 'health', action: (api) => api.get('/health') }),
       ] });`,
    );
  }, 300_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
    await Promise.allSettled([server?.stop(), tlsServer?.stop()]);
    if (project) await rm(project, { recursive: true, force: true });
    if (certFile) await rm(certFile, { force: true });
  });

  it('connection refused: the documented line, from snapshot list and run', async () => {
    const url = `postgresql://venomqa:${SECRET}@127.0.0.1:${closedPort}/app`;
    const listed = await snapshotList(url);
    expectEnvironmentError(
      listed,
      'VENOMQA_CONNECTION_REFUSED',
      `Connection refused to postgresql://venomqa:***@127.0.0.1:${closedPort}/postgres`,
    );
    expect(listed.stderr).toContain('venomqa db up');
    expect(listed.stderr).toContain('docker compose -f docker-compose.qa.yml up -d db');
    expectEnvironmentError(
      await runShared(url),
      'VENOMQA_CONNECTION_REFUSED',
      `Connection refused to postgresql://venomqa:***@127.0.0.1:${closedPort}/app`,
    );
    expectEnvironmentError(
      await runPerPath(url),
      'VENOMQA_CONNECTION_REFUSED',
      `Connection refused to postgresql://venomqa:***@127.0.0.1:${closedPort}/postgres`,
    );
  });

  it('an unresolvable host', async () => {
    const url = `postgresql://venomqa:${SECRET}@db.venomqa.invalid:5432/app`;
    // Not a loopback host: the snapshot engine goes there only when allowed twice.
    expectEnvironmentError(
      await runCli(['snapshot', 'list', '--allow-remote'], project, {
        ...baseEnv,
        VENOMQA_DB_URL: url,
        VENOMQA_ALLOW_REMOTE: 'true',
      }),
      'VENOMQA_HOST_NOT_FOUND',
      'Host not found for postgresql://venomqa:***@db.venomqa.invalid:5432/postgres',
    );
    expectEnvironmentError(
      await runShared(url),
      'VENOMQA_HOST_NOT_FOUND',
      'Host not found for postgresql://venomqa:***@db.venomqa.invalid:5432/app',
    );
  });

  it('a server that never answers: a timeout', async () => {
    const url = `postgresql://venomqa:${SECRET}@127.0.0.1:${silentPort}/app?connect_timeout=1`;
    expectEnvironmentError(
      await snapshotList(url),
      'VENOMQA_CONNECTION_TIMEOUT',
      `Connection timed out to postgresql://venomqa:***@127.0.0.1:${silentPort}/postgres`,
    );
    expectEnvironmentError(
      await runShared(url),
      'VENOMQA_CONNECTION_TIMEOUT',
      `Connection timed out to postgresql://venomqa:***@127.0.0.1:${silentPort}/app`,
    );
  });

  it('a wrong password (28P01)', async () => {
    const url = urlAs('venomqa', SECRET);
    const listed = await snapshotList(url);
    expectEnvironmentError(listed, 'VENOMQA_AUTHENTICATION_FAILED', 'Authentication failed for');
    expect(listed.stderr).toContain('venomqa db url --show-password');
    expectEnvironmentError(
      await runShared(url),
      'VENOMQA_AUTHENTICATION_FAILED',
      'Authentication failed for',
    );
  });

  it('a database that does not exist (3D000)', async () => {
    const real = new URL(server.adminUrl);
    const url = urlAs(decodeURIComponent(real.username), decodeURIComponent(real.password), 'nope');
    const shared = await runShared(url);
    expectEnvironmentError(shared, 'VENOMQA_DATABASE_MISSING', "Database 'nope' does not exist at");
    expect(shared.stderr).toContain('createdb');
    expectEnvironmentError(
      await runPerPath(url),
      'VENOMQA_DATABASE_MISSING',
      "Database 'nope' does not exist at",
    );
  });

  it('TLS: a certificate no trusted CA signed (verify-full), and a server without TLS (require)', async () => {
    const verifyFull = `${urlAs('venomqa', 'x', 'postgres', tlsServer)}?sslmode=verify-full`;
    const failed = await snapshotList(verifyFull);
    expectEnvironmentError(failed, 'VENOMQA_TLS_FAILED', 'TLS failed for');
    expect(failed.stderr).toContain('sslmode=require');
    const plain = `${urlAs('venomqa', SECRET)}?sslmode=require`;
    expectEnvironmentError(
      await runShared(plain),
      'VENOMQA_TLS_FAILED',
      'TLS failed for postgresql://venomqa:***@',
    );
  });

  it('too many connections (53300)', async () => {
    const url = urlAs('limited', SECRET);
    expectEnvironmentError(
      await snapshotList(url),
      'VENOMQA_TOO_MANY_CONNECTIONS',
      'Too many connections to',
    );
    expectEnvironmentError(
      await runShared(url),
      'VENOMQA_TOO_MANY_CONNECTIONS',
      'Too many connections to',
    );
  });

  it('permission denied (42501) and a role that may not log in (28000)', async () => {
    const listed = await snapshotList(urlAs('outsider', SECRET));
    expectEnvironmentError(listed, 'VENOMQA_PERMISSION_DENIED', 'Permission denied connecting to');
    expect(listed.stderr).toContain('GRANT CONNECT ON DATABASE "postgres" TO "outsider"');
    expectEnvironmentError(
      await runShared(urlAs('nologin', SECRET)),
      'VENOMQA_CONNECTION_NOT_ALLOWED',
      'Connection not allowed to',
    );
  });

  it('MySQL and Redis refused: the same typed error', async () => {
    expectEnvironmentError(
      await runShared(`redis://:${SECRET}@127.0.0.1:${closedPort}/0`, 'redis'),
      'VENOMQA_CONNECTION_REFUSED',
      `Connection refused to redis://:***@127.0.0.1:${closedPort}/0`,
    );
    expectEnvironmentError(
      await runShared(`mysql://qa:${SECRET}@127.0.0.1:${closedPort}/shop`, 'mysql'),
      'VENOMQA_CONNECTION_REFUSED',
      `Connection refused to mysql://qa:***@127.0.0.1:${closedPort}/shop`,
    );
  });
});
