/** How one check of `venomqa doctor` came out. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/**
 * One line of `venomqa doctor`: `fail` is a setup that stops runs (exit 3), `warn` one that
 * works but not as well as it could (or a tool only some commands need), `skip` a check that
 * does not apply to this config.
 */
export interface DoctorCheck {
  /** Short and stable, for `--json` consumers: `docker`, `createdb`, `psql`. */
  id: string;
  status: CheckStatus;
  /** What was found, in one sentence. */
  detail: string;
  /** The next command or change, for `warn` and `fail`. */
  fix?: string;
}

export function ok(id: string, detail: string): DoctorCheck {
  return { id, status: 'ok', detail };
}

export function warn(id: string, detail: string, fix: string): DoctorCheck {
  return { id, status: 'warn', detail, fix };
}

export function fail(id: string, detail: string, fix: string): DoctorCheck {
  return { id, status: 'fail', detail, fix };
}

export function skip(id: string, detail: string): DoctorCheck {
  return { id, status: 'skip', detail };
}

/** The first line of an error's message, and its hint as the fix. */
export function fromError(id: string, error: unknown, fallbackFix: string): DoctorCheck {
  const message = error instanceof Error ? error.message : String(error);
  const hint = (error as { hint?: unknown } | undefined)?.hint;
  return fail(id, message.split('\n')[0] ?? message, typeof hint === 'string' ? hint : fallbackFix);
}
