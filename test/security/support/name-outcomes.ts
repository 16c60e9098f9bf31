import { isVenomQAError } from '../../../src/errors/venomqa-error.js';

/**
 * What became of each name tried: accepted, refused with a typed venomqa error (counted by
 * code), or failed otherwise — a raw SQL error (a SQLSTATE reached the caller) or any other
 * untyped error. The last two must stay at zero.
 */
export class NameOutcomes {
  accepted = 0;
  readonly typed = new Map<string, number>();
  readonly sqlErrors: string[] = [];
  readonly untyped: string[] = [];

  /** Runs `attempt` for `name` and files the outcome; true when it was accepted. */
  async record(name: string, attempt: () => unknown): Promise<boolean> {
    try {
      await attempt();
      this.accepted += 1;
      return true;
    } catch (error) {
      this.file(name, error);
      return false;
    }
  }

  file(name: string, error: unknown): void {
    if (isVenomQAError(error)) {
      this.typed.set(error.code, (this.typed.get(error.code) ?? 0) + 1);
      if (sqlStateIn(error.cause) !== undefined && !EXPECTED_CAUSES.has(error.code)) {
        this.sqlErrors.push(
          `${JSON.stringify(name)}: ${error.code} caused by SQLSTATE ${sqlStateIn(error.cause)}`,
        );
      }
      return;
    }
    const state = sqlStateIn(error);
    const line = `${JSON.stringify(name)}: ${error instanceof Error ? error.message : String(error)}`;
    if (state !== undefined) this.sqlErrors.push(`${line} (SQLSTATE ${state})`);
    else this.untyped.push(line);
  }

  get refused(): number {
    return [...this.typed.values()].reduce((sum, n) => sum + n, 0);
  }

  /** `VENOMQA_INVALID_NAME 812, VENOMQA_SNAPSHOT_NOT_FOUND 188` */
  describeTyped(): string {
    return [...this.typed.entries()].map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
  }
}

// A typed error wrapping a SQLSTATE is fine where the SQLSTATE is the situation itself (a
// duplicate database is "exists"), not a statement the name broke.
const EXPECTED_CAUSES = new Set(['VENOMQA_SNAPSHOT_EXISTS']);

/** The SQLSTATE of a node-postgres error (five characters in `code`), if it is one. */
function sqlStateIn(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string'
    ? code
    : undefined;
}
