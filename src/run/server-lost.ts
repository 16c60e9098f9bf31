import { ExitCode } from '../errors/exit-code.js';
import { isVenomQAError, messageOf, VenomQAError } from '../errors/venomqa-error.js';
import type { RunResult } from '../runner/result.js';
import { ServerConnectionError } from '../server/connection-errors.js';
import type { SnapshotEngine } from '../snapshot/snapshot-engine.js';

/** Why the journeys after a lost server are skipped. */
export const SERVER_LOST = 'PostgreSQL stopped answering';

/**
 * The run's PostgreSQL server stopped answering while journeys ran (stopped, crashed, its
 * machine gone): the paths failed for that reason, not for the API's. Carries what ran (the
 * journeys after it skipped), so the reports can still be written.
 */
export class ServerLostError extends VenomQAError {
  readonly code = 'VENOMQA_SERVER_LOST';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly result: RunResult;

  constructor(journey: string, cause: unknown, result: RunResult) {
    super(`${SERVER_LOST} during journey '${journey}': ${messageOf(cause)}`, {
      cause,
      hint: `${isVenomQAError(cause) && cause.hint ? `${cause.hint} ` : ''}The managed \`venomqa db\` starts again on its data with \`venomqa db up\`; then \`venomqa prune\` drops what this run left, and run again.`,
    });
    this.result = result;
  }
}

/**
 * Whether the run's server has gone: asked after a journey failed (its paths may have failed
 * because of it) or its clean-up threw. The connection error when it does not answer.
 */
export async function lostServer(engine: SnapshotEngine): Promise<unknown> {
  // A pooled connection the server ended may answer first with 'Connection terminated'; the
  // next attempt opens a new one and meets the server as it is now.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await engine.ping();
      return undefined;
    } catch (error) {
      if (error instanceof ServerConnectionError) return error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return undefined;
}
