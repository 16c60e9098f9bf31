import { redactText } from '../redaction/index.js';
import { messageOf } from '../errors/venomqa-error.js';
import { ApiProcess } from './api-process.js';
import { DEFAULT_LOG_CAPACITY, START_ERROR_LOG_LINES } from './line-buffer.js';
import { commandArgv } from './command-line.js';
import {
  instanceEnvironment,
  secretsOf,
  substitutePlaceholders,
  type PlaceholderValues,
} from './placeholders.js';
import { reservePort } from './reserve-port.js';
import { TargetAbortedError, TargetStartError } from './target-errors.js';
import type { AcquireOptions, Target } from './target.js';
import { healthPath, waitForHealth } from './wait-for-health.js';

export interface ProcessTargetOptions {
  /** `api.command`: a string (split like a shell would, without running one) or an argv list. */
  command: string | readonly string[];
  /** `api.env`: added to the environment; values may use the placeholders. */
  env?: Readonly<Record<string, string>>;
  /** `api.health`: the path that answers 2xx once the API serves requests. */
  health: string;
  startupTimeoutMs: number;
  /** Where the command runs (the config file's folder, for relative paths in it). */
  cwd: string;
  /** Lines of stdout and stderr kept per instance. */
  logLines?: number;
  /** How long release waits after SIGTERM before SIGKILL. */
  stopGraceMs?: number;
}

/**
 * Starts the API as a local process per path (`api.mode: process`), each bound to its own
 * database clone and its own loopback port, so paths run at once.
 *
 * Every instance gets `DATABASE_URL` (its clone) and `PORT` (a free port on 127.0.0.1) unless
 * `api.env` sets them. In `api.env` values and in the arguments of `api.command`,
 * `{database_url}`, `{port}` and `{host}` (127.0.0.1) are replaced, for APIs that take them
 * under other names or as flags. No shell runs the command: `$PORT` would stay literal, so it
 * is rejected when the target is created. `acquire` resolves once `GET <health>` answers 2xx;
 * a process that exits first fails at once with {@link TargetStartError} carrying its output.
 *
 * @example
 * ```ts
 * const target = new ProcessTarget({
 *   command: 'node server.js --port {port}',
 *   env: { DB: '{database_url}' },
 *   health: '/health',
 *   startupTimeoutMs: 30_000,
 *   cwd: process.cwd(),
 * });
 * const api = await target.acquire(cloneUrl, { label: 'checkout/pay' });
 * try {
 *   await fetch(`${api.baseUrl}/orders`);
 * } finally {
 *   await api.release();
 * }
 * ```
 */
export class ProcessTarget implements Target {
  readonly mode = 'process';
  readonly isolation = 'per-path';
  readonly #argv: readonly string[];
  readonly #options: Readonly<ProcessTargetOptions>;

  constructor(options: ProcessTargetOptions) {
    // Parsed now, so a command that needs a shell fails before anything is cloned.
    this.#argv = Object.freeze(commandArgv(options.command));
    this.#options = Object.freeze({ ...options, env: { ...options.env } });
  }

  /** The command as written, for progress lines; URL passwords are masked. */
  get command(): string {
    return redactText(formatArgv(this.#argv));
  }

  async acquire(databaseUrl: string, options: AcquireOptions): Promise<ApiProcess> {
    const { label, signal } = options;
    if (signal?.aborted) throw new TargetAbortedError(label, { cause: signal.reason });
    const secrets = secretsOf(databaseUrl);
    const port = await reservePort();
    const values: PlaceholderValues = {
      database_url: databaseUrl,
      port: String(port.port),
      host: '127.0.0.1',
    };
    const argv = this.#argv.map((arg) => substitutePlaceholders(arg, values));
    const shown = redactText(formatArgv(argv), secrets);
    const baseUrl = `http://127.0.0.1:${port.port}`;
    const health = healthPath(this.#options.health);
    let api: ApiProcess;
    try {
      api = new ApiProcess({
        argv,
        env: instanceEnvironment(this.#options.env ?? {}, values),
        cwd: this.#options.cwd,
        label,
        baseUrl,
        healthUrl: `${baseUrl}${health}`,
        secrets,
        logCapacity: this.#options.logLines ?? DEFAULT_LOG_CAPACITY,
        stopGraceMs: this.#options.stopGraceMs ?? 5000,
        port,
      });
    } catch (error) {
      port.release();
      throw new TargetStartError(
        `Starting the API for path ${label} failed: \`${shown}\`: ${redactText(messageOf(error), secrets)}`,
        { label, logLines: [] },
      );
    }

    try {
      const outcome = await waitForHealth({
        url: `${baseUrl}${health}`,
        timeoutMs: this.#options.startupTimeoutMs,
        ...(signal ? { signal } : {}),
        isGone: () => api.exitReason,
      });
      if (outcome.kind === 'healthy') return api;
      await api.release();
      const logLines = await api.logs(START_ERROR_LOG_LINES);
      const seconds = this.#options.startupTimeoutMs / 1000;
      switch (outcome.kind) {
        case 'aborted':
          throw new TargetAbortedError(label, { cause: outcome.reason });
        case 'gone':
          throw new TargetStartError(
            `The API for path ${label} ${outcome.reason} before GET ${health} answered 2xx (command \`${shown}\` in ${this.#options.cwd})`,
            { label, logLines },
            {
              hint: outcome.reason.startsWith('could not be started')
                ? `Check that \`${redactText(argv[0] ?? '', secrets)}\` is installed and on PATH, or give its full path in api.command.`
                : `Run the command yourself with DATABASE_URL and PORT set to see why it stops.`,
            },
          );
        case 'timeout':
          throw new TargetStartError(
            `The API for path ${label} did not answer GET ${baseUrl}${health} with 2xx within ${seconds} s` +
              `${outcome.detail ? ` (last attempt: ${redactText(outcome.detail, secrets)})` : ''}` +
              ` (command \`${shown}\`)`,
            { label, logLines },
            {
              hint:
                'Check that the API listens on $PORT (or {port}) on 127.0.0.1 and that api.health ' +
                'is a path it answers with 2xx, or raise api.startup_timeout.',
            },
          );
      }
    } catch (error) {
      // Whatever went wrong, the process must not outlive the failed acquire.
      await api.release();
      throw error;
    }
  }
}

/** Arguments joined for a message, quoted where a reader would otherwise misread them. */
export function formatArgv(argv: readonly string[]): string {
  return argv
    .map((arg) => (arg === '' || /[\s'"\\]/.test(arg) ? `'${arg.replaceAll("'", "'\\''")}'` : arg))
    .join(' ');
}
