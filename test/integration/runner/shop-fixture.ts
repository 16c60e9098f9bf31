import { execa } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { ProcessTarget } from '../../../src/api/process-target.js';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
export const SHOP_SERVER = path.join(REPO, 'examples/shop/server.mjs');

/** The example shop API as a process per path: what `api.mode: process` starts. */
export function shopProcessTarget(): ProcessTarget {
  return new ProcessTarget({
    command: [process.execPath, SHOP_SERVER],
    env: { DATABASE_URL: '{database_url}', PORT: '{port}' },
    health: '/health',
    startupTimeoutMs: 30_000,
    cwd: REPO,
  });
}

/** Shop API processes that are children of this test process (none may outlive a run). */
export async function shopProcesses(): Promise<string[]> {
  const { stdout } = await execa('ps', ['-eo', 'pid=,ppid=,args=']);
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes(SHOP_SERVER))
    .filter((line) => line.split(/\s+/)[1] === String(process.pid));
}

/** `vqa_` databases on the server (clones, checkpoints, working databases). */
export async function venomqaDatabases(server: PostgresServer): Promise<string[]> {
  const rows = await queryOnce<{ datname: string }>(
    server.adminUrl,
    "select datname from pg_database where starts_with(datname, 'vqa_') order by 1",
  );
  return rows.map((r) => r.datname);
}
