import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../../src/server/embedded-postgres.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';

/** One embedded PostgreSQL for a test file; each test takes a fresh database from it. */
export function startTestPostgres(): Promise<PostgresServer> {
  return startEmbeddedPostgres({
    port: null,
    user: 'venomqa',
    password: null,
    database: 'venomqa',
    startupTimeoutMs: 60_000,
  });
}

/** A new empty database on `server`; `drop()` removes it (forcing out leftover sessions). */
export async function freshDatabase(
  server: PostgresServer,
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `state_${randomBytes(4).toString('hex')}`;
  await queryOnce(server.adminUrl, `create database ${pg.escapeIdentifier(name)}`);
  return {
    name,
    url: server.urlFor(name),
    drop: async () => {
      await queryOnce(
        server.adminUrl,
        `drop database if exists ${pg.escapeIdentifier(name)} with (force)`,
      );
    },
  };
}
