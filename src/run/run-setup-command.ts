import { execa } from 'execa';
import { redactText } from '../redaction/index.js';
import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, messageOf, type VenomQAErrorOptions } from '../errors/venomqa-error.js';
import { commandArgv } from '../api/command-line.js';
import { LineBuffer } from '../api/line-buffer.js';
import {
  instanceEnvironment,
  secretsOf,
  substitutePlaceholders,
  type PlaceholderValues,
} from '../api/placeholders.js';
import { API_OWNER_ENV } from '../api/api-process.js';

/** `setup.command` failed: nothing was cached, and no journey ran. */
export class SetupFailedError extends VenomQAError {
  readonly code = 'VENOMQA_SETUP_FAILED';
  // As a failing test would: the project's own migrations failed, not venomqa or its input.
  readonly exitCode = ExitCode.JourneysFailed;
  /** The command's last output lines (passwords masked). */
  readonly logLines: readonly string[];

  constructor(message: string, logLines: readonly string[], options: VenomQAErrorOptions = {}) {
    super(
      logLines.length > 0 ? `${message}\n${logLines.map((l) => `  | ${l}`).join('\n')}` : message,
      options,
    );
    this.logLines = logLines;
  }
}

export interface SetupCommandOptions {
  command: string | readonly string[];
  /** `api.env` then `setup.env`, placeholders not yet filled in. */
  env: Readonly<Record<string, string>>;
  databaseUrl: string;
  cwd: string;
  timeoutMs: number;
  /** Lines of output kept for the error. */
  logLines: number;
  signal?: AbortSignal;
}

/**
 * Run `setup.command` once against a new database: `DATABASE_URL` and `{database_url}` are that
 * database, as for the API (`{port}` is 0, `{host}` 127.0.0.1). No shell; the project's
 * `node_modules/.bin` is on PATH as in npm scripts. Throws {@link SetupFailedError} with the
 * command's last lines when it fails, times out or cannot start.
 */
export async function runSetupCommand(options: SetupCommandOptions): Promise<void> {
  const values: PlaceholderValues = {
    database_url: options.databaseUrl,
    port: '0',
    host: '127.0.0.1',
  };
  const secrets = secretsOf(options.databaseUrl);
  const argv = commandArgv(options.command).map((arg) => substitutePlaceholders(arg, values));
  const [file, ...args] = argv;
  const shown = redactText(argv.join(' '), secrets);
  const output = new LineBuffer(Math.max(1, options.logLines));
  const env = instanceEnvironment(options.env, values);
  delete env.PORT;
  const subprocess = execa(file ?? '', args, {
    cwd: options.cwd,
    env: { ...env, [API_OWNER_ENV]: String(process.pid) },
    preferLocal: true,
    stdin: 'ignore',
    all: true,
    reject: false,
    timeout: options.timeoutMs,
    cleanup: true,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  for await (const line of subprocess.iterable({ from: 'all' })) {
    output.push(redactText(String(line), secrets));
  }
  const done = await subprocess;
  if (done.exitCode === 0 && !done.failed) return;
  const why = done.timedOut
    ? `did not finish within ${options.timeoutMs / 1000} s`
    : done.isCanceled
      ? 'was interrupted'
      : done.exitCode !== undefined
        ? `exited with code ${done.exitCode}`
        : `could not start: ${redactText(messageOf(done.cause ?? done.message), secrets)}`;
  throw new SetupFailedError(
    `setup.command \`${shown}\` ${why} (in ${options.cwd})`,
    output.last(options.logLines),
    {
      hint: done.isCanceled
        ? 'Nothing was cached; run again.'
        : 'Run the command yourself with DATABASE_URL set to an empty database to see why; nothing was cached.',
    },
  );
}
