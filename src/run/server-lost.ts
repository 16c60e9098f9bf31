import { ServerConnectionError } from '../server/connection-errors.js';
import type { SnapshotEngine } from '../snapshot/snapshot-engine.js';

/** Why the journeys after a lost server are skipped. */
export const SERVER_LOST = 'PostgreSQL stopped answering';

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
