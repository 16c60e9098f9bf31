/* global console, process, performance, URL */
// Restore window under reconnect storms: 5 and 20 clients (one pg.Pool each, every query
// `select count(*)` on a 20,000-row table, retried 1 ms after an error) while the database is
// restored in place 20 times. Prints, per server, client count and route (straight to
// PostgreSQL, or through PgBouncer paused during the swap): the longest gap between successful
// queries (p50, p95), failed queries per restore, and restores after which the data equalled
// the snapshot. Asserts nothing; the goal is p95 ≤ 50 ms.
//
//   npm run build && node bench/restore-window.mjs [--providers embedded,docker]
//     [--clients 5,20] [--routes idle,direct,pgbouncer] [--restores 20] [--dist dist]
//     [--image venomqa/postgres:17]
// `--dist` points at another build (e.g. of an older commit) to compare before and after.
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  WINDOW_TABLE_SQL,
  fingerprint,
  measureRestoreWindow,
  queryOnce,
  summarise,
} from '../test/reliability/support/restore-window.mjs';

const { values: args } = parseArgs({
  options: {
    providers: { type: 'string', default: 'embedded,docker' },
    clients: { type: 'string', default: '5,20' },
    // idle: no restore, the same clients for as long (the machine's noise floor)
    routes: { type: 'string', default: 'idle,direct,pgbouncer' },
    restores: { type: 'string', default: '20' },
    dist: { type: 'string', default: new URL('../dist', import.meta.url).pathname },
    image: { type: 'string', default: 'venomqa/postgres:17' },
  },
});
const dist = pathToFileURL(resolve(args.dist)).href;
// Public subpaths only: a build's internal files move (and `--dist` may name an older build).
const { resolveConfig } = await import(`${dist}/config/index.js`);
const { startPgBouncer, startPostgres } = await import(`${dist}/server/index.js`);
const { SnapshotEngine } = await import(`${dist}/snapshot/index.js`);

/** PostgreSQL 18 (embedded) or the venomqa/postgres image in Docker, on a tmpfs. */
function startServer(provider) {
  const env = {
    ...process.env,
    VENOMQA_SERVER_PROVIDER: provider,
    VENOMQA_SERVER_IMAGE: args.image,
    VENOMQA_SERVER_TMPFS: 'true',
    VENOMQA_SERVER_NETWORK: process.env.VENOMQA_SERVER_NETWORK ?? 'host',
  };
  return startPostgres(resolveConfig({ cwd: tmpdir(), env, file: null }));
}

// The idle route sleeps as long as a restore took, so both see the machine for as long.
let lastRestoreMs = 500;
async function timed(fn) {
  const started = performance.now();
  const result = await fn();
  lastRestoreMs = performance.now() - started;
  return result;
}

function startPooler(server) {
  return startPgBouncer({ serverUrl: server.adminUrl, server });
}

for (const provider of args.providers.split(',')) {
  const server = await startServer(provider);
  try {
    console.log(`PostgreSQL ${server.version} (${provider}), build ${args.dist}`);
    for (const route of args.routes.split(',')) {
      const pooler = route === 'pgbouncer' ? await startPooler(server) : undefined;
      const engine = await SnapshotEngine.open({
        adminUrl: server.adminUrl,
        ...(pooler ? { connectionGate: pooler } : {}),
      });
      try {
        const target = await engine.createEmpty();
        await queryOnce(target.url, WINDOW_TABLE_SQL);
        await engine.snapshot(target.database, 'window', { scope: 'run' });
        const expected = await fingerprint(target.url);
        for (const clients of args.clients.split(',').map(Number)) {
          const result = await measureRestoreWindow({
            clientUrl: pooler ? pooler.urlFor(target.database) : target.url,
            restore: () =>
              route === 'idle'
                ? sleep(lastRestoreMs)
                : timed(() => engine.restore(target.database, 'window')),
            verify: () => fingerprint(target.url),
            dirty: () => queryOnce(target.url, 'delete from accounts where id % 100 = 0'),
            expected,
            restores: Number(args.restores),
            clients,
          });
          console.log(summarise(`  ${clients} clients, ${route}`, result, route !== 'idle'));
        }
        await target.drop();
        await engine.drop('window');
      } finally {
        await engine.close();
        await pooler?.stop();
      }
    }
  } finally {
    await server.stop();
  }
}
