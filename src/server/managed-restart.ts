import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import { findDockerDaemon } from '../docker/find-docker-daemon.js';
import { messageOf } from '../errors/venomqa-error.js';
import { assertPortFree, PortInUseError } from './assert-port-free.js';
import { runningPostmasterPid, startEmbeddedPostgres } from './embedded-postgres.js';
import type { ManagedDatabaseState } from './managed-database.js';
import { PostgresStartError } from './server-errors.js';
import { formatPostgresUrl } from './postgres-url.js';
import { waitForPostgres } from './wait-for-postgres.js';

/** Where PostgreSQL keeps its data in venomqa's image (on tmpfs with `server.tmpfs`). */
const CONTAINER_DATA_DIR = '/var/lib/postgresql/data';

/**
 * Whether the recorded server's process or container still runs, whether or not it answers: a
 * server that runs but refuses venomqa (out of connection slots, …) must never be cleaned up
 * as if it were gone.
 */
export async function managedServerRuns(state: ManagedDatabaseState): Promise<boolean> {
  if (state.provider === 'embedded') {
    return (
      state.rootDir !== undefined &&
      (await runningPostmasterPid(join(state.rootDir, 'data'))) !== undefined
    );
  }
  if (!state.containerId) return false;
  try {
    const { docker } = await findDockerDaemon();
    return (await docker.getContainer(state.containerId).inspect()).State.Running;
  } catch {
    return false;
  }
}

/**
 * Start a managed server that stopped (a reboot, a crash, `pg_ctl stop`) again on its own data,
 * with its password, on its port when that is free: its snapshots and templates are still
 * there. Returns the new state, or undefined when there is no data to start on (a container
 * whose data was on tmpfs or that was removed, a deleted cluster folder).
 */
export async function restartManagedServer(
  state: ManagedDatabaseState,
  config: ResolvedConfig,
): Promise<ManagedDatabaseState | undefined> {
  const startupTimeoutMs = config.server.startup_timeout * 1000;
  const restarted = { ...state, startedAt: new Date().toISOString() };
  if (state.provider === 'embedded') {
    if (!state.rootDir || !existsSync(join(state.rootDir, 'data', 'PG_VERSION'))) return undefined;
    const server = await startEmbeddedPostgres({
      rootDir: state.rootDir,
      port: (await portFree(state.port)) ? state.port : null,
      user: state.user,
      password: state.password,
      database: state.database,
      startupTimeoutMs,
      detached: true,
    });
    return { ...restarted, port: server.port, serverVersion: server.version };
  }
  if (!state.containerId) return undefined;
  const { docker } = await findDockerDaemon();
  const container = docker.getContainer(state.containerId);
  let info;
  try {
    info = await container.inspect();
  } catch {
    return undefined; // removed
  }
  if (Object.keys(info.HostConfig.Tmpfs ?? {}).includes(CONTAINER_DATA_DIR)) return undefined;
  try {
    await container.start();
    const after = await container.inspect();
    const binding = Object.values(after.NetworkSettings.Ports ?? {})[0]?.[0]?.HostPort;
    const port = binding ? Number(binding) : state.port;
    const ready = await waitForPostgres(formatPostgresUrl({ ...state, port }), {
      timeoutMs: startupTimeoutMs,
    });
    return { ...restarted, port, serverVersion: ready.version };
  } catch (error) {
    throw new PostgresStartError(
      `The managed database's container ${state.containerId.slice(0, 12)} did not start again: ${messageOf(error)}`,
      [],
      {
        cause: error,
        hint: '`venomqa db logs` shows why; `venomqa db down --force` removes it and its data.',
      },
    );
  }
}

async function portFree(port: number): Promise<boolean> {
  try {
    await assertPortFree(port);
    return true;
  } catch (error) {
    if (error instanceof PortInUseError) return false;
    throw error;
  }
}
