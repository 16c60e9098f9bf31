import { startDockerPostgres } from '../../../src/server/docker-postgres.js';
import { startEmbeddedPostgres } from '../../../src/server/embedded-postgres.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';

export type Provider = 'embedded' | 'docker';

/** PostgreSQL 18 (embedded) or 17 (venomqa/postgres in Docker, host networking in CI). */
export function startServer(provider: Provider): Promise<PostgresServer> {
  const common = {
    port: null,
    user: 'venomqa',
    password: null,
    database: 'postgres',
    startupTimeoutMs: 60_000,
  };
  if (provider === 'embedded') return startEmbeddedPostgres(common);
  return startDockerPostgres({
    ...common,
    // Another build of images/postgres (one with PgBouncer, say) without retagging the shared one.
    image: process.env.VENOMQA_TEST_POSTGRES_IMAGE ?? 'venomqa/postgres:17',
    baseImage: process.env.VENOMQA_BASE_IMAGE ?? 'debian:trixie-slim',
    network: (process.env.VENOMQA_SERVER_NETWORK ?? 'host') as 'host' | 'bridge',
    tmpfs: true,
  });
}
