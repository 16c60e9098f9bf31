/* global process, URL */
// Knex's configuration for the blog example, read by the knex CLI (`npx knex migrate:latest`
// migrates the database DATABASE_URL names) and by server.js, which only checks that no
// migration is pending. The CLI finds this file by its name in the folder it runs in.
import { fileURLToPath } from 'node:url';

const databaseUrl = process.env.DATABASE_URL?.trim();
if (!databaseUrl) {
  throw new Error(
    'DATABASE_URL is not set: the knex CLI migrates the database it names, ' +
      'e.g. DATABASE_URL=postgres://user:password@127.0.0.1:5432/blog npx knex migrate:latest',
  );
}

export default {
  client: 'pg',
  connection: databaseUrl,
  // min 0: an idle API holds no sessions, so nothing is left to end when a database is swapped.
  pool: { min: 0, max: 10, idleTimeoutMillis: 10_000 },
  // A request waits at most this long for a connection, then fails (the API answers 503).
  acquireConnectionTimeout: 5000,
  migrations: {
    // Absolute, so it does not depend on the folder the CLI or the server was started from.
    directory: fileURLToPath(new URL('./migrations', import.meta.url)),
    loadExtensions: ['.js'],
    extension: 'js', // what `npx knex migrate:make <name>` writes
    tableName: 'knex_migrations',
  },
};
