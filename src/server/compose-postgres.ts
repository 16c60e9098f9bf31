import path from 'node:path';
import createDebug from 'debug';
import { redactText } from '../redaction/index.js';
import { lastLines } from '../docker/container-logs.js';
import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, messageOf } from '../errors/venomqa-error.js';
import { PostgresStartError, ServerConfigError } from './server-errors.js';
import { postgresServer, type PostgresServer } from './postgres-server.js';
import { formatPostgresUrl } from './postgres-url.js';
import { waitForPostgres } from './wait-for-postgres.js';

const debug = createDebug('venomqa:server:compose');

/** The compose service `server.provider: compose` uses, as VenomQA's docs name it. */
export const COMPOSE_DB_SERVICE = 'db';

/** Neither `docker compose` nor `docker-compose` runs here. */
export class ComposeUnavailableError extends VenomQAError {
  readonly code = 'VENOMQA_COMPOSE_UNAVAILABLE';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
}

export interface ComposePostgresOptions {
  /** The compose file (`docker_compose_file`), absolute. */
  file: string;
  /** Variables compose substitutes (`${VENOMQA_QA_PASSWORD:-…}`) and COMPOSE_PROJECT_NAME. */
  env: Readonly<Record<string, string | undefined>>;
  startupTimeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

/** What one compose command gave: never throws for a non-zero exit. */
interface ComposeResult {
  exitCode: number | undefined;
  stdout: string;
  /** stdout and stderr interleaved, for error messages. */
  all: string;
}

/** Runs `<compose> -f FILE …args` in the file's folder. */
interface Compose {
  (args: string[], options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<ComposeResult>;
  /** `docker compose` or `docker-compose`, for messages. */
  readonly command: string;
}

/**
 * The `db` service of a docker compose file as the PostgreSQL server venomqa uses
 * (`server.provider: compose`): started with `docker compose` (or `docker-compose`) when it is
 * not running, its URL read from the service's environment (`POSTGRES_USER`,
 * `POSTGRES_PASSWORD`, `POSTGRES_DB`, `PGPORT`, as the official image reads them) and its
 * published port (`docker compose port`; with `network_mode: host`, PGPORT or 5432 on
 * 127.0.0.1). `stop()` undoes only what this call did: a container it created is removed, one
 * it started is stopped, one that was running is left running.
 *
 * @example
 * await using server = await startComposePostgres({ file: '/repo/docker-compose.qa.yml',
 *   env: process.env, startupTimeoutMs: 60_000 });
 */
export async function startComposePostgres(
  options: ComposePostgresOptions,
): Promise<PostgresServer> {
  const file = path.resolve(options.file);
  const compose = await findCompose(file, options.env);
  const service = await readDbService(compose, file);
  const before = await containerState(compose);
  let undo: (() => Promise<void>) | undefined;
  if (before !== 'running') {
    options.onProgress?.(
      `Starting the ${COMPOSE_DB_SERVICE} service of ${file} (${before === 'missing' ? 'new container' : 'stopped container'})`,
    );
    const up = await compose(['up', '-d', '--no-deps', COMPOSE_DB_SERVICE], {
      // It may build the image first.
      timeoutMs: Math.max(options.startupTimeoutMs, 600_000),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    undo =
      before === 'missing'
        ? async () => {
            await compose(['rm', '--stop', '--force', '-v', COMPOSE_DB_SERVICE]);
          }
        : async () => {
            await compose(['stop', COMPOSE_DB_SERVICE]);
          };
    if (up.exitCode !== 0) {
      await undo();
      throw new PostgresStartError(
        `\`${compose.command} up -d ${COMPOSE_DB_SERVICE}\` failed for ${file} (exit ${String(up.exitCode)})`,
        lastLines(redactText(up.all, [service.password]), 20),
        {
          hint: `Run it yourself to see more: ${compose.command} -f ${file} up ${COMPOSE_DB_SERVICE}`,
        },
      );
    }
  } else {
    options.onProgress?.(`Using the running ${COMPOSE_DB_SERVICE} service of ${file}`);
  }
  const logs = async (count = 50): Promise<string[]> => {
    const result = await compose(['logs', '--no-color', `--tail=${count}`, COMPOSE_DB_SERVICE]);
    return lastLines(redactText(result.all, [service.password]), count);
  };
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (undo ?? (() => Promise.resolve()))();
    return stopped;
  };
  try {
    const port = await publishedPort(compose, service);
    const adminUrl = formatPostgresUrl({
      host: '127.0.0.1',
      port,
      user: service.user,
      password: service.password,
      database: service.database,
    });
    const ready = await waitForPostgres(adminUrl, {
      timeoutMs: options.startupTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    debug('compose db ready on port %d (%s)', port, ready.version);
    return postgresServer({ provider: 'compose', adminUrl, ready, id: file, logs, stop });
  } catch (error) {
    const lines = await logs(30).catch(() => []);
    await stop();
    if (error instanceof VenomQAError && !(error instanceof PostgresStartError)) throw error;
    throw new PostgresStartError(
      `The ${COMPOSE_DB_SERVICE} service of ${file} did not become ready: ${messageOf(error)}`,
      lines,
      { cause: error },
    );
  }
}

interface DbService {
  user: string;
  password: string;
  database: string;
  /** The port PostgreSQL listens on inside the container (PGPORT, else 5432). */
  containerPort: number;
  hostNetwork: boolean;
}

/** `docker compose` when the plugin answers, else `docker-compose` (v1). */
async function findCompose(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Compose> {
  const tried: string[] = [];
  for (const [program, prefix, command] of [
    ['docker', ['compose'], 'docker compose'],
    ['docker-compose', [], 'docker-compose'],
  ] as const) {
    // execa and yaml load only when the compose provider is used.
    const { execa } = await import('execa');
    const probe = await execa(program, [...prefix, 'version'], { reject: false, env });
    if (probe.exitCode === 0) {
      const run = async (
        args: string[],
        options: { timeoutMs?: number; signal?: AbortSignal } = {},
      ): Promise<ComposeResult> => {
        const result = await execa(program, [...prefix, '-f', file, ...args], {
          cwd: path.dirname(file),
          env,
          reject: false,
          all: true,
          ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
          ...(options.signal === undefined ? {} : { cancelSignal: options.signal }),
        });
        return { exitCode: result.exitCode, stdout: result.stdout, all: result.all };
      };
      return Object.assign(run, { command });
    }
    tried.push(
      `${command}: ${probe.exitCode === undefined ? 'not installed' : `exit ${probe.exitCode}`}`,
    );
  }
  throw new ComposeUnavailableError(
    `server.provider is compose, but neither docker compose nor docker-compose runs here (${tried.join('; ')})`,
    {
      hint: 'Install Docker Compose (the docker-compose-plugin or docker-compose package), or use server.provider auto.',
    },
  );
}

async function readDbService(compose: Compose, file: string): Promise<DbService> {
  const result = await compose(['config']);
  if (result.exitCode !== 0) {
    throw new ServerConfigError(
      `The docker compose file ${file} cannot be read: ${redactText(lastLines(result.all, 5).join(' '))}`,
      {
        hint: 'Fix it (`docker compose -f FILE config` checks it), or point docker_compose_file elsewhere.',
      },
    );
  }
  const { parse: parseYaml } = await import('yaml');
  const config = parseYaml(result.stdout) as {
    services?: Record<string, { environment?: unknown; network_mode?: unknown } | undefined>;
  } | null;
  const service = config?.services?.[COMPOSE_DB_SERVICE];
  if (service === undefined) {
    throw new ServerConfigError(
      `server.provider is compose, but ${file} has no '${COMPOSE_DB_SERVICE}' service (it has: ${Object.keys(config?.services ?? {}).join(', ') || 'none'})`,
      { hint: `Name the PostgreSQL service '${COMPOSE_DB_SERVICE}', or use server.provider auto.` },
    );
  }
  const env = environmentOf(service.environment);
  const user = env.POSTGRES_USER ?? 'postgres';
  return {
    user,
    password: env.POSTGRES_PASSWORD ?? '',
    database: env.POSTGRES_DB ?? user,
    containerPort: Number(env.PGPORT ?? 5432),
    hostNetwork: service.network_mode === 'host',
  };
}

/** `environment` as compose's `config` prints it: a mapping (v1) or a list of KEY=value. */
function environmentOf(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const entry of value) {
      const text = String(entry);
      const equals = text.indexOf('=');
      if (equals > 0) result[text.slice(0, equals)] = text.slice(equals + 1);
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, raw] of Object.entries(value)) {
      if (raw !== null && raw !== undefined) result[key] = String(raw);
    }
  }
  return result;
}

async function containerState(compose: Compose): Promise<'running' | 'stopped' | 'missing'> {
  const ids = await compose(['ps', '-q', COMPOSE_DB_SERVICE]);
  const id = ids.stdout.trim().split('\n')[0] ?? '';
  if (ids.exitCode !== 0 || id === '') return 'missing';
  const { execa } = await import('execa');
  const state = await execa('docker', ['inspect', '-f', '{{.State.Running}}', id], {
    reject: false,
  });
  return String(state.stdout).trim() === 'true' ? 'running' : 'stopped';
}

async function publishedPort(compose: Compose, service: DbService): Promise<number> {
  if (service.hostNetwork) return service.containerPort;
  const result = await compose(['port', COMPOSE_DB_SERVICE, String(service.containerPort)]);
  const port = Number(/:(\d+)\s*$/.exec(result.stdout.trim())?.[1]);
  if (result.exitCode !== 0 || !Number.isInteger(port) || port <= 0) {
    throw new ServerConfigError(
      `The ${COMPOSE_DB_SERVICE} service publishes no port for ${service.containerPort}: venomqa cannot reach it`,
      {
        hint: `Add ports: ['127.0.0.1:5432:${service.containerPort}'] to the ${COMPOSE_DB_SERVICE} service, or use network_mode: host.`,
      },
    );
  }
  return port;
}
