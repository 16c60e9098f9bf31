#!/usr/bin/env node
/* global process, setTimeout, clearTimeout */
// The blog example API: users, articles, tags, comments and favorites on PostgreSQL through
// Knex. DATABASE_URL (required, migrated with `npx knex migrate:latest`), PORT (3000), HOST
// (127.0.0.1), JWT_SECRET, LOG_LEVEL. See README.md.
import knex from 'knex';
import { buildApp } from './lib/app.js';
import { ConfigError, readConfig, redactUrl } from './lib/config.js';

// Requests still running after a stop signal get this long before their sockets are closed.
const SHUTDOWN_GRACE_MS = 5000;

const fail = (message) => {
  process.stderr.write(`blog: ${message}\n`);
  process.exit(1);
};

let config;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  fail(error.message);
}
const database = redactUrl(config.databaseUrl);

// The knexfile reads DATABASE_URL itself; imported only once it is known to be set.
const { default: knexConfig } = await import('./knexfile.js');
// Knex's pg dialect listens for 'error' on every connection and marks a connection whose
// session was ended (SQLSTATE 57P01) as disposed, so the pool drops it and opens another on
// the next request instead of the process crashing.
const db = knex(knexConfig);

// The schema comes from the knex CLI, not from startup: refuse to serve an unmigrated database.
try {
  const [, pending] = await db.migrate.list();
  if (pending.length > 0) {
    await db.destroy();
    fail(
      `${pending.length} migration(s) pending on ${database} ` +
        `(${pending.map((m) => m.file).join(', ')}): run \`npx knex migrate:latest\` first`,
    );
  }
} catch (error) {
  await db.destroy();
  fail(`cannot read the migrations of ${database}: ${error.message}`);
}

const app = await buildApp({ db, jwtSecret: config.jwtSecret, logLevel: config.logLevel });
if (config.usingDevelopmentSecret) {
  app.log.warn('JWT_SECRET is not set: tokens are signed with the example development secret');
}

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  app.log.info(`${signal} received, shutting down`);
  const force = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  // Stops listening, closes idle keep-alive connections, waits for requests in flight, then
  // runs the onClose hook that destroys the Knex pool.
  await app.close();
  clearTimeout(force);
  app.log.info('stopped');
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => void shutdown(signal));

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  await db.destroy();
  fail(`cannot listen on ${config.host}:${config.port}: ${error.message}`);
}
app.log.info(`blog API ready (database ${database})`);
