import type { ExitCode } from './exit-code.js';

export interface VenomQAErrorOptions {
  /** The underlying error, kept so nothing is lost when we wrap. */
  cause?: unknown;
  /** The next command or change to try, printed on its own line by the CLI. */
  hint?: string;
}

/**
 * Base of every error venomqa throws on purpose.
 *
 * The message follows one order (what failed, on which subject, then the original message),
 * `code` is stable across releases so callers can branch on it, and `exitCode` tells the CLI
 * how to end. Messages never contain a password: callers pass URLs through `redactUrl` first.
 *
 * Every subclass lives in its layer's `*-errors.ts` and has one constructor shape: what the
 * message is built from first (a message, or the subject and its details), then these
 * {@link VenomQAErrorOptions}, always last and optional, spread over the class's default hint
 * so a caller can replace it. "No such X" messages and log tails are written by the shared
 * formatters in `error-text.ts`.
 */
export abstract class VenomQAError extends Error {
  abstract readonly code: `VENOMQA_${string}`;
  abstract readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(message: string, options: VenomQAErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** True for errors venomqa raised on purpose (as opposed to bugs). */
export function isVenomQAError(error: unknown): error is VenomQAError {
  return error instanceof VenomQAError;
}

/** The message of anything thrown, for wrapping into a `cause` line. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
