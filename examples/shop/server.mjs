#!/usr/bin/env node
/* global process, setTimeout, clearTimeout, URL */
// The example shop API: users, orders, order items and payments on PostgreSQL.
// DATABASE_URL (required), PORT (3000), HOST (127.0.0.1). See README.md.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createRequestHandler } from './lib/app.mjs';
import { ConfigError, readConfig, redactUrl } from './lib/config.mjs';
import { createPool, Database } from './lib/database.mjs';
import { migrate } from './lib/migrate.mjs';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// Keep-alive connections that are still busy get this long to finish after a stop signal.
const SHUTDOWN_GRACE_MS = 5000;

const log = {
  info: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};

let config;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  log.error(`shop: ${error.message}`);
  process.exit(1);
}

const database = redactUrl(config.databaseUrl);
const pool = createPool(config.databaseUrl, log);
const server = createServer(createRequestHandler({ db: new Database(pool, log), log }));
let stopping = false;

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log.info(`shop: ${signal} received, shutting down`);
  const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  // close() also closes idle keep-alive connections (Node >= 19); its error when the server
  // was never listening does not matter here.
  await new Promise((resolve) => server.close(() => resolve()));
  clearTimeout(force);
  await pool.end();
  log.info('shop: stopped');
  process.exit(0);
}

// Registered before the migrations, so a stop during startup also exits cleanly.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => void shutdown(signal));

try {
  const applied = await migrate(pool, MIGRATIONS_DIR);
  log.info(
    applied.length > 0
      ? `shop: migrations applied: ${applied.join(', ')}`
      : 'shop: migrations up to date',
  );
} catch (error) {
  log.error(`shop: migrating ${database} failed: ${error.message}`);
  // A stop signal during the migrations has ended the pool already.
  if (!stopping) await pool.end();
  process.exit(1);
}

if (!stopping) {
  server.on('error', (error) => {
    log.error(`shop: cannot listen on ${config.host}:${config.port}: ${error.message}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const { port } = server.address();
    log.info(`shop: listening on http://${config.host}:${port} (database ${database})`);
  });
}
