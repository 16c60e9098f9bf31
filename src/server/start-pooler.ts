import type { ResolvedConfig } from '../config/schema.js';
import type { PgBouncer } from './pgbouncer.js';
import { startPgBouncer } from './start-pgbouncer.js';
import type { PostgresServer } from './postgres-server.js';

/**
 * The pooler `server.pooler` asks for in front of `server`, or undefined for `none`. API slots
 * connect through `pooler.urlFor(slotDatabase)`, and the snapshot engine takes it as its
 * `connectionGate`, so slot swaps pause it instead of ending the APIs' sessions.
 *
 * @example
 * const pooler = await startPooler(config, server);
 * const engine = await SnapshotEngine.open({ adminUrl: server.adminUrl, connectionGate: pooler });
 */
export async function startPooler(
  config: Pick<ResolvedConfig, 'server'>,
  server: PostgresServer,
): Promise<PgBouncer | undefined> {
  if (config.server.pooler === 'none') return undefined;
  return startPgBouncer({
    serverUrl: server.adminUrl,
    server,
    startupTimeoutMs: config.server.startup_timeout * 1000,
  });
}
