import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import pg from 'pg';
import { findDockerDaemon } from '../docker/find-docker-daemon.js';
import { messageOf } from '../errors/venomqa-error.js';
import { findFreePort } from '../free-port.js';
import { PgBouncer } from './pgbouncer.js';
import { renderAuthFile, renderPgBouncerIni } from './pgbouncer-config.js';
import { execPgBouncerInContainer } from './pgbouncer-docker.js';
import { PgBouncerError } from './pgbouncer-errors.js';
import { spawnLocalPgBouncer } from './pgbouncer-local.js';
import type { PgBouncerProcess } from './pgbouncer-process.js';
import type { PostgresServer } from './postgres-server.js';
import { parsePostgresUrl, type PostgresAddress } from './postgres-url.js';
import { socketListening } from './embedded-socket.js';

/** Where the postmaster of venomqa/postgres puts its socket (`initdb --auth-local=trust`). */
const CONTAINER_SOCKET_DIR = '/var/run/postgresql';

export interface PgBouncerOptions {
  /** Admin URL of the PostgreSQL server to put PgBouncer in front of (its user and password). */
  serverUrl: string;
  /**
   * The server, when venomqa started it: a Docker server on host networking gets PgBouncer
   * inside its own container (the venomqa/postgres image has it), so nothing is installed on
   * the host. Any other server gets a local `pgbouncer` process.
   */
  server?: Pick<PostgresServer, 'provider' | 'id' | 'socketDir'>;
  /** Port to listen on (127.0.0.1); null or omitted picks a free one. */
  port?: number | null;
  /** The pgbouncer executable; default: on PATH, or in /usr/sbin. */
  binary?: string;
  /**
   * Server connections per database (default 5; transaction pooling shares them among all the
   * API's connections). Fewer make the swap window shorter: PAUSE waits for each one's
   * transaction, and each is a backend to end and start again.
   */
  poolSize?: number;
  /**
   * How long `hold` waits for PAUSE to finish before the swap goes on and its drain ends the
   * session that holds PAUSE up (a client idle in an open transaction). Default 1000 ms.
   */
  holdWaitMs?: number;
  startupTimeoutMs?: number;
}

/**
 * Start PgBouncer in front of the server at `options.serverUrl` and wait until its console
 * answers. Release it with `stop()` (or `await using`).
 *
 * @example
 * await using pooler = await startPgBouncer({ serverUrl: server.adminUrl });
 * const engine = await SnapshotEngine.open({ adminUrl: server.adminUrl, connectionGate: pooler });
 * startApi({ DATABASE_URL: pooler.urlFor(slot) });
 */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const address = parsePostgresUrl(options.serverUrl);
  const port = options.port ?? (await findFreePort());
  const poolSize = options.poolSize ?? 5;
  const container = await hostNetworkContainer(options.server);
  const ini = renderPgBouncerIni({
    listenPort: port,
    // The server's Unix socket where there is one venomqa trusts local logins on (next to the
    // postmaster of venomqa/postgres, an embedded server's socket folder): a swap makes
    // PgBouncer open its connections again, and SCRAM over TCP is most of that.
    serverHost: container
      ? CONTAINER_SOCKET_DIR
      : (localSocketDir(options.server, address) ?? address.host),
    serverPort: address.port,
    user: address.user,
    authFile: '{dir}/users.txt',
    poolSize,
    maxClientConnections: 1000,
  });
  const process = container
    ? await execPgBouncerInContainer(container.docker, container.id, ini)
    : await spawnLocalPgBouncer(
        { 'pgbouncer.ini': ini, 'users.txt': renderAuthFile(address.user, address.password) },
        options.binary,
      );
  const pooler = new PgBouncer(process, address, port, {
    holdWaitMs: options.holdWaitMs ?? 1000,
    poolSize,
  });
  try {
    await waitForConsole(pooler, process, options.startupTimeoutMs ?? 10_000);
    return pooler;
  } catch (error) {
    const logs = await pooler.logs(20);
    await pooler.stop();
    throw new PgBouncerError(`${process.description} did not start: ${messageOf(error)}`, logs, {
      cause: error,
    });
  }
}

/** The server's trusted socket folder, when it has one and the server listens there now. */
function localSocketDir(
  server: PgBouncerOptions['server'],
  address: PostgresAddress,
): string | undefined {
  const dir = server?.socketDir;
  return dir !== undefined && socketListening(dir, address.port) ? dir : undefined;
}

/** The server's container, when it shares the host's network (so its ports are ours). */
async function hostNetworkContainer(
  server: PgBouncerOptions['server'],
): Promise<{ docker: Docker; id: string } | undefined> {
  if (server?.provider !== 'docker' || server.id === undefined) return undefined;
  const { docker } = await findDockerDaemon();
  const info = await docker.getContainer(server.id).inspect();
  return info.HostConfig.NetworkMode === 'host' ? { docker, id: server.id } : undefined;
}

async function waitForConsole(
  pooler: PgBouncer,
  process: PgBouncerProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: pooler.urlFor('pgbouncer') });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('show version');
      return;
    } catch (error) {
      if (process.exited()) throw new Error('it exited', { cause: error });
      if (Date.now() > deadline) throw error;
    } finally {
      await client.end().catch(() => undefined);
    }
    await sleep(25);
  }
}
