import { mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import { findDockerDaemon } from '../docker/find-docker-daemon.js';
import { LABEL, shortHash } from '../docker/labels.js';
import {
  listLabelledContainers,
  readContainerLogs,
  stopAndRemove,
} from '../docker/started-container.js';
import { isVenomQAError } from '../errors/venomqa-error.js';
import { lastLines } from '../docker/container-logs.js';
import { runningPostmasterPid, stopPostmaster } from './embedded-postgres.js';
import { reachableClusterDir } from './postgres-os-user.js';
import {
  describeConfigChange,
  managedConfigHash,
  reuseRunningContainer,
  settingsLabels,
} from './managed-container.js';
import { ManagedDatabaseError, PostgresNotReadyError, ServerConfigError } from './server-errors.js';
import { formatPostgresUrl } from './postgres-url.js';
import { startPostgres, type StartPostgresOptions } from './start-postgres.js';
import { managedServerRuns, restartManagedServer } from './managed-restart.js';
import { waitForPostgres, type ServerVersion } from './wait-for-postgres.js';

/**
 * What `venomqa db up` leaves in `<project>/.venomqa/db.json` (mode 0600: it holds the
 * password) so that later CLI invocations find the same server.
 */
export interface ManagedDatabaseState {
  version: 1;
  provider: 'docker' | 'embedded';
  /** Container id (docker) or the cluster folder (embedded). */
  containerId?: string;
  rootDir?: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  serverVersion: string;
  startedAt: string;
  /** Docker: the container's configuration hash and readable settings (see managed-container). */
  configHash?: string;
  settings?: Record<string, string>;
  /** Docker: the container was started by another project with the same configuration. */
  reusedFrom?: string;
}

export interface ManagedDatabaseStatus {
  running: boolean;
  state: ManagedDatabaseState | undefined;
  /** Present when running. */
  server?: ServerVersion;
  /** Why it is not running, when it is not. */
  reason?: string;
  /** Running, but with another configuration than the config asks for now: what changed. */
  configChanged?: string;
  /**
   * Not answering venomqa although its process or container runs (out of connection slots, a
   * changed password, …): the typed error of that situation. Such a server is never cleaned up.
   */
  refusing?: unknown;
}

/**
 * The one QA PostgreSQL a project keeps running between CLI invocations
 * (`venomqa db up|down|status|logs`). The project folder is the config file's folder, else cwd.
 */
export class ManagedDatabase {
  readonly projectDir: string;
  readonly stateFile: string;
  readonly #config: ResolvedConfig;

  constructor(config: ResolvedConfig, cwd: string) {
    this.#config = config;
    this.projectDir = config.config_file ? dirname(config.config_file) : cwd;
    this.stateFile = join(this.projectDir, '.venomqa', 'db.json');
  }

  /** Container name derived from the project folder, so two checkouts never share one. */
  get containerName(): string {
    return `venomqa-db-${shortHash(this.projectDir, 10)}`;
  }

  static urlOf(state: ManagedDatabaseState, database = state.database): string {
    return formatPostgresUrl({ ...state, database });
  }

  async readState(): Promise<ManagedDatabaseState | undefined> {
    try {
      return JSON.parse(await readFile(this.stateFile, 'utf8')) as ManagedDatabaseState;
    } catch {
      return undefined;
    }
  }

  async status(): Promise<ManagedDatabaseStatus> {
    const state = await this.readState();
    if (!state)
      return { running: false, state, reason: 'no managed database (run `venomqa db up`)' };
    try {
      const server = await waitForPostgres(ManagedDatabase.urlOf(state), { timeoutMs: 1500 });
      const configChanged = this.#configChange(state);
      return { running: true, state, server, ...(configChanged ? { configChanged } : {}) };
    } catch (error) {
      const reason = `recorded server does not answer: ${(error as Error).message}`;
      if (!(await managedServerRuns(state))) return { running: false, state, reason };
      // waitForPostgres gives up with the last connection error as its cause.
      const cause = error instanceof PostgresNotReadyError ? error.cause : error;
      return { running: false, state, reason, refusing: cause ?? error };
    }
  }

  /**
   * Start the managed database, or return the one already running. `fresh` is true when this
   * call started it.
   */
  async up(options: Pick<StartPostgresOptions, 'signal' | 'onProgress'> = {}): Promise<{
    state: ManagedDatabaseState;
    fresh: boolean;
  }> {
    if (this.#config.server.provider === 'url') {
      throw new ServerConfigError(
        'server.provider is "url": that server is not venomqa\'s to start',
        {
          hint: 'Use provider auto, docker or embedded for `venomqa db up`, or use db_url directly.',
        },
      );
    }
    if (this.#config.server.provider === 'compose') {
      throw new ServerConfigError(
        'server.provider is "compose": the db service of docker_compose_file is the server, and docker compose starts it',
        {
          hint: `Start it with \`docker compose -f ${this.#config.docker_compose_file} up -d db\` (venomqa run starts it when it is not running), or use provider auto, docker or embedded for \`venomqa db up\`.`,
        },
      );
    }
    const current = await this.status();
    if (current.running && current.state && !current.configChanged) {
      return { state: current.state, fresh: false };
    }
    if (current.state && current.refusing !== undefined) throw refusingError(current);
    if (current.state) {
      // Stopped (a reboot, a crash): start it again on its data, snapshots and all.
      const restarted = current.running
        ? undefined
        : await restartManagedServer(current.state, this.#config);
      if (restarted) {
        await this.#writeState(restarted);
        options.onProgress?.(
          `Restarted the managed database on its data (${current.reason ?? 'it had stopped'})`,
        );
        return { state: restarted, fresh: false };
      }
      options.onProgress?.(
        current.configChanged
          ? `The managed database runs with another configuration (${current.configChanged}): starting a new one`
          : `Cleaning up the previous managed database, whose data is gone (${current.reason ?? 'not running'})`,
      );
      await this.#release(current.state);
    }
    const hash = managedConfigHash(this.#config.server);
    const reused = await reuseRunningContainer(this.#config.server, this.projectDir, hash);
    if (reused) {
      await this.#writeState(reused.state);
      options.onProgress?.(reused.line);
      return { state: reused.state, fresh: false };
    }
    await this.#removeOrphanContainer();
    const embeddedRoot = await reachableClusterDir(this.#config.server.data_dir);
    if (existsSync(join(embeddedRoot, 'data', 'PG_VERSION'))) {
      throw new ManagedDatabaseError(
        `An embedded cluster exists in ${embeddedRoot} but its state file ${this.stateFile} is missing, so its password is unknown`,
        { hint: `Remove ${embeddedRoot} (rm -rf) and run \`venomqa db up\` again.` },
      );
    }
    const server = await startPostgres(this.#config, {
      ...options,
      embeddedRootDir: embeddedRoot,
      detached: true,
      containerName: this.containerName,
      role: 'managed-db',
      labels: {
        [LABEL.project]: shortHash(this.projectDir),
        [LABEL.projectDir]: this.projectDir,
        [LABEL.configHash]: hash,
        [LABEL.settings]: JSON.stringify(settingsLabels(this.#config.server)),
      },
    });
    const password = decodeURIComponent(new URL(server.adminUrl).password);
    const state: ManagedDatabaseState = {
      version: 1,
      provider: server.provider === 'docker' ? 'docker' : 'embedded',
      ...(server.provider === 'docker' ? { containerId: server.id } : { rootDir: embeddedRoot }),
      host: server.host,
      port: server.port,
      user: server.user,
      password,
      database: server.database,
      serverVersion: server.version,
      startedAt: new Date().toISOString(),
      ...(server.provider === 'docker'
        ? { configHash: hash, settings: settingsLabels(this.#config.server) }
        : {}),
    };
    try {
      await this.#writeState(state);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return { state, fresh: true };
  }

  /** Docker only: what differs between the running container's configuration and the config's. */
  #configChange(state: ManagedDatabaseState): string | undefined {
    if (state.provider !== 'docker' || state.configHash === undefined) return undefined;
    if (this.#config.server.provider === 'embedded') return undefined;
    if (state.configHash === managedConfigHash(this.#config.server)) return undefined;
    return describeConfigChange(state.settings, this.#config.server);
  }

  async #writeState(state: ManagedDatabaseState): Promise<void> {
    await mkdir(dirname(this.stateFile), { recursive: true });
    await writeFile(this.stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  }

  /**
   * Stop the managed database and delete its data and state. Returns false when there was none.
   * A container another project started (and this one reused, `reusedFrom`) is left running for
   * it: only this project's state is forgotten.
   */
  async down(): Promise<boolean> {
    const state = await this.readState();
    const orphan = await this.#removeOrphanContainer();
    if (!state) return orphan;
    await this.#release(state);
    return true;
  }

  /** The server's last `count` log lines. */
  async logs(count: number): Promise<string[]> {
    const state = await this.readState();
    if (!state) return [];
    if (state.provider === 'embedded' && state.rootDir) {
      return lastLines(
        await readFile(join(state.rootDir, 'postgres.log'), 'utf8').catch(() => ''),
        count,
      );
    }
    const { docker } = await findDockerDaemon();
    return readContainerLogs(docker, state.containerId ?? '', count);
  }

  async #release(state: ManagedDatabaseState): Promise<void> {
    // Another project started it and may still use it: forget it here, leave it running there.
    if (state.provider === 'docker' && state.containerId && !state.reusedFrom) {
      const { docker } = await findDockerDaemon();
      await stopAndRemove(docker, state.containerId);
    }
    if (state.provider === 'embedded' && state.rootDir) {
      const pid = await runningPostmasterPid(join(state.rootDir, 'data'));
      if (pid) await stopPostmaster(pid);
      await rm(state.rootDir, { recursive: true, force: true });
    }
    await rm(this.stateFile, { force: true });
    // Leave no empty `.venomqa/` behind; a folder still holding other things stays.
    await rmdir(dirname(this.stateFile)).catch(() => undefined);
  }

  /** A managed container of this project whose state file was lost (deleted `.venomqa/`). */
  async #removeOrphanContainer(): Promise<boolean> {
    let docker;
    try {
      ({ docker } = await findDockerDaemon());
    } catch {
      return false;
    }
    const state = await this.readState();
    const containers = await listLabelledContainers(docker, {
      [LABEL.role]: 'managed-db',
      [LABEL.project]: shortHash(this.projectDir),
    });
    const orphans = containers.filter((c) => c.Id !== state?.containerId);
    for (const c of orphans) await stopAndRemove(docker, c.Id);
    return orphans.length > 0;
  }
}

/** A managed server that runs but refuses venomqa: its own typed error, or one saying so. */
export function refusingError(status: ManagedDatabaseStatus): unknown {
  if (isVenomQAError(status.refusing)) return status.refusing;
  return new ManagedDatabaseError(
    `The managed database runs but does not answer venomqa: ${status.reason ?? 'unknown reason'}`,
    {
      cause: status.refusing,
      hint: '`venomqa db logs` shows why; `venomqa db down --force` stops it and deletes its data.',
    },
  );
}
