import { logTailText } from '../../errors/error-text.js';
import { ExitCode } from '../../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../../errors/venomqa-error.js';

/** One place pg_dump/pg_restore were looked for, and what was there. */
export interface PgToolsCandidate {
  /** A directory, or `docker image <name>`. */
  where: string;
  /** `17.6`, when the tools were found and answered `--version`. */
  version?: string;
  major?: number;
  /** Why it was not chosen (absent for the one that was). */
  problem?: string;
}

/**
 * No pg_dump/pg_restore new enough for the server: pg_dump refuses servers of a newer major
 * version, and pg_restore cannot read archives written by a newer pg_dump.
 */
export class PgDumpUnavailableError extends VenomQAError {
  readonly code = 'VENOMQA_PG_DUMP_UNAVAILABLE';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly requiredMajor: number;
  readonly candidates: readonly PgToolsCandidate[];

  constructor(
    details: {
      /** What the tools are for: `export of snapshot 'x' (PostgreSQL 17.6)`. */
      what: string;
      requiredMajor: number;
      candidates: readonly PgToolsCandidate[];
    },
    options: VenomQAErrorOptions = {},
  ) {
    const { what, requiredMajor, candidates } = details;
    const lines = candidates.length
      ? candidates.map(
          (c) => `  - ${c.where}: ${c.version ? `${c.version}, ` : ''}${c.problem ?? 'usable'}`,
        )
      : ['  - nothing'];
    super(
      `No pg_dump/pg_restore of PostgreSQL ${requiredMajor} or newer for ${what}. Looked at:\n${lines.join('\n')}`,
      {
        hint:
          `Install the PostgreSQL ${requiredMajor} client tools (Debian/Ubuntu: ` +
          `\`apt-get install postgresql-client-${requiredMajor}\` from the PGDG repository ` +
          `apt.postgresql.org; macOS: \`brew install postgresql@${requiredMajor}\`), or point ` +
          'VENOMQA_PG_BIN at a directory holding pg_dump and pg_restore, or run the server with ' +
          '`server.provider: docker`, whose image carries matching tools.',
        ...options,
      },
    );
    this.requiredMajor = requiredMajor;
    this.candidates = candidates;
  }
}

/** pg_dump or pg_restore ran and failed; the message carries its last (redacted) stderr lines. */
export class PgToolFailedError extends VenomQAError {
  readonly code = 'VENOMQA_PG_TOOL_FAILED';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly tool: string;
  /** The tool's own exit status (not the CLI's exit code). */
  readonly status: number | undefined;
  readonly stderrTail: readonly string[];

  constructor(
    details: {
      /** `pg_dump 17.6 (/usr/lib/postgresql/17/bin)`. */
      tool: string;
      /** What it ran on: `database 'app'`. */
      subject: string;
      status: number | undefined;
      stderrTail: readonly string[];
    },
    options: VenomQAErrorOptions = {},
  ) {
    const { tool, subject, status, stderrTail } = details;
    const how = status === undefined ? 'did not finish' : `exited with status ${status}`;
    super(
      `${tool} ${how} on ${subject}${logTailText(stderrTail, { heading: 'Last stderr lines' })}`,
      options,
    );
    this.tool = tool;
    this.status = status;
    this.stderrTail = stderrTail;
  }
}

const TOOL_HINTS = {
  pg_dump:
    'Check that the server is reachable from where the tools run (a Docker image runs them with ' +
    'host networking) and that the role may read every table.',
  pg_restore:
    'The file may be cut short, or need roles, extensions or a server version this one lacks; ' +
    '`pg_restore --list FILE` shows what it holds.',
} as const;

/** The error for a pg_dump or pg_restore run that failed, with the next thing to check. */
export function pgToolFailure(
  tool: keyof typeof TOOL_HINTS,
  tools: { version: string; where: string },
  subject: string,
  status: number | undefined,
  stderrTail: readonly string[],
): PgToolFailedError {
  return new PgToolFailedError(
    { tool: `${tool} ${tools.version} (${tools.where})`, subject, status, stderrTail },
    { hint: TOOL_HINTS[tool] },
  );
}

/** The file to import is missing, not a pg_dump custom-format archive, or does not match its sidecar. */
export class DumpFileError extends VenomQAError {
  readonly code = 'VENOMQA_DUMP_FILE_INVALID';
  readonly exitCode = ExitCode.Usage;
}

/** `snapshot export` would overwrite an existing file without --force. */
export class DumpFileExistsError extends VenomQAError {
  readonly code = 'VENOMQA_FILE_EXISTS';
  readonly exitCode = ExitCode.Usage;
}

/** `venomqa db psql` needs psql, and neither VENOMQA_PG_BIN nor PATH holds one. */
export class PsqlNotFoundError extends VenomQAError {
  readonly code = 'VENOMQA_PSQL_NOT_FOUND';
  readonly exitCode = ExitCode.EnvironmentUnavailable;

  constructor(looked: readonly string[], options: VenomQAErrorOptions = {}) {
    super(`psql was not found (looked in ${looked.length ? looked.join(', ') : 'an empty PATH'})`, {
      hint: PSQL_INSTALL_HINT,
      ...options,
    });
  }
}

/** How to get psql, for the error above and `venomqa doctor`. */
export const PSQL_INSTALL_HINT =
  'Install the PostgreSQL client: Debian/Ubuntu `sudo apt-get install postgresql-client`, ' +
  'Fedora `sudo dnf install postgresql`, Alpine `apk add postgresql-client`, macOS ' +
  '`brew install libpq` (then put its bin folder on PATH); or set VENOMQA_PG_BIN to a folder holding psql.';
