import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import type { ResolvedConfig } from '../config/schema.js';
import { findDockerDaemon } from '../docker/find-docker-daemon.js';
import { LABEL } from '../docker/labels.js';
import { readContainerFile } from '../docker/read-container-file.js';
import { listLabelledContainers } from '../docker/started-container.js';
import type { ManagedDatabaseState } from './managed-database.js';
import { TEST_DATA_SETTINGS } from './postgres-server.js';
import { formatPostgresUrl } from './postgres-url.js';
import { waitForPostgres } from './wait-for-postgres.js';

/** Raised when what makes a managed container changes meaning, so older hashes never match. */
const HASH_VERSION = 1;

/**
 * The configuration hash a managed PostgreSQL container carries (`dev.venomqa.config-hash`):
 * its image (name and tag, so the PostgreSQL version), the base image venomqa's own image is
 * built on, its tuning (the test-data settings and tmpfs), its network and port, and where its
 * credentials come from (user, database, and the password itself when one is configured, else
 * "generated"). Two projects asking for the same hash may share one container; a change of any
 * of these makes a new one.
 */
export function managedConfigHash(server: ResolvedConfig['server']): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        v: HASH_VERSION,
        image: server.image,
        baseImage: server.base_image,
        tuning: TEST_DATA_SETTINGS,
        tmpfs: server.tmpfs,
        network: server.network,
        port: server.port,
        user: server.user,
        database: server.database,
        password:
          server.password === null
            ? 'generated'
            : createHash('sha256').update(server.password).digest('hex'),
      }),
    )
    .digest('hex')
    .slice(0, 16);
}

/** What is different between two configurations, for the line saying why a new one starts. */
export function describeConfigChange(
  before: Readonly<Record<string, string>> | undefined,
  server: ResolvedConfig['server'],
): string {
  if (!before) return 'its configuration is unknown (started by an older venomqa)';
  const now = settingsLabels(server);
  const changed = Object.keys(now).filter((key) => before[key] !== now[key]);
  return changed.length === 0
    ? 'its configuration changed'
    : changed.map((key) => `${key} ${before[key] ?? '?'} → ${now[key] ?? '?'}`).join(', ');
}

/** The readable settings recorded next to the hash (never the password). */
export function settingsLabels(server: ResolvedConfig['server']): Record<string, string> {
  return {
    image: server.image,
    network: server.network,
    tmpfs: String(server.tmpfs),
    port: String(server.port ?? 'any'),
    user: server.user,
    database: server.database,
    password: server.password === null ? 'generated' : 'configured',
  };
}

/** A running managed container another invocation (or project) started with the same hash. */
export interface ReusableContainer {
  id: string;
  name: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** The project folder that started it. */
  projectDir: string | undefined;
}

/**
 * A running managed-database container whose configuration hash is `hash`, with the port and
 * credentials to reach it (read from the container itself, as `docker inspect` and `docker cp`
 * show them to anyone who may use the daemon). Undefined when there is none.
 */
export async function findReusableContainer(
  docker: Docker,
  hash: string,
): Promise<ReusableContainer | undefined> {
  const found = await listLabelledContainers(docker, {
    [LABEL.role]: 'managed-db',
    [LABEL.configHash]: hash,
  });
  for (const info of found.filter((c) => c.State === 'running')) {
    const details = await docker
      .getContainer(info.Id)
      .inspect()
      .catch(() => undefined);
    if (!details?.State.Running) continue;
    const env = Object.fromEntries(
      (details.Config.Env ?? []).map((entry) => {
        const at = entry.indexOf('=');
        return [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
    const hostNetwork = details.HostConfig.NetworkMode === 'host';
    const published = details.NetworkSettings.Ports['5432/tcp']?.[0]?.HostPort;
    const port = Number(hostNetwork ? env.PGPORT : published);
    // venomqa's containers keep the password in a file (POSTGRES_PASSWORD_FILE), out of
    // `docker inspect`; one started before that carries it in POSTGRES_PASSWORD.
    const password = env.POSTGRES_PASSWORD_FILE
      ? await readContainerFile(docker.getContainer(info.Id), env.POSTGRES_PASSWORD_FILE)
      : env.POSTGRES_PASSWORD;
    if (!Number.isInteger(port) || port <= 0 || !password) continue;
    return {
      id: info.Id,
      name: details.Name.replace(/^\//, ''),
      host: '127.0.0.1',
      port,
      user: env.POSTGRES_USER ?? 'postgres',
      password,
      database: env.POSTGRES_DB ?? env.POSTGRES_USER ?? 'postgres',
      projectDir: details.Config.Labels[LABEL.projectDir],
    };
  }
  return undefined;
}

/**
 * The state of a running managed container of the same configuration hash, adopted: started by
 * an earlier invocation whose state file is gone, or by another project asking for the same
 * server (`reusedFrom` names it, so `db down` here leaves it running there). Undefined when
 * there is none, no daemon answers, or the provider is embedded.
 */
export async function reuseRunningContainer(
  server: ResolvedConfig['server'],
  projectDir: string,
  hash: string,
): Promise<{ state: ManagedDatabaseState; line: string } | undefined> {
  if (server.provider === 'embedded') return undefined;
  let docker: Docker;
  try {
    ({ docker } = await findDockerDaemon());
  } catch {
    return undefined;
  }
  const found = await findReusableContainer(docker, hash);
  if (!found) return undefined;
  const ready = await waitForPostgres(formatPostgresUrl(found), { timeoutMs: 5000 }).catch(
    () => undefined,
  );
  if (!ready) return undefined;
  const other = found.projectDir !== undefined && found.projectDir !== projectDir;
  const state: ManagedDatabaseState = {
    version: 1,
    provider: 'docker',
    containerId: found.id,
    host: found.host,
    port: found.port,
    user: found.user,
    password: found.password,
    database: found.database,
    serverVersion: ready.version,
    startedAt: new Date().toISOString(),
    configHash: hash,
    settings: settingsLabels(server),
    ...(other && found.projectDir ? { reusedFrom: found.projectDir } : {}),
  };
  return {
    state,
    line: `Reusing the running container ${found.name} (same configuration${other ? `, started for ${found.projectDir ?? 'another project'}` : ''})`,
  };
}
