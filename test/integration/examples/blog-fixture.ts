import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { ProcessTarget } from '../../../src/api/process-target.js';
import { EXAMPLE_JWT_SECRET } from '../../../examples/blog/journeys/_blog.js';

export const BLOG_DIR = fileURLToPath(new URL('../../../examples/blog', import.meta.url));
export const BLOG_SERVER = path.join(BLOG_DIR, 'server.js');
export { EXAMPLE_JWT_SECRET };

/**
 * `npx knex migrate:latest` in examples/blog against `databaseUrl`: what venomqa.yaml's
 * `setup.command` runs (from the config file's folder, with DATABASE_URL set). Returns the
 * CLI's output; a failure throws with it.
 */
export async function migrateBlog(databaseUrl: string): Promise<string> {
  const result = await execa('npx', ['knex', 'migrate:latest'], {
    cwd: BLOG_DIR,
    env: { DATABASE_URL: databaseUrl },
    all: true,
    timeout: 60_000,
  });
  return result.all;
}

/** The blog API as a process per path, as venomqa.yaml's `api:` starts it. */
export function blogProcessTarget(): ProcessTarget {
  return new ProcessTarget({
    // Absolute, so blogProcesses() can tell these processes from any other `node server.js`.
    command: [process.execPath, BLOG_SERVER],
    env: {
      DATABASE_URL: '{database_url}',
      PORT: '{port}',
      HOST: '{host}',
      JWT_SECRET: EXAMPLE_JWT_SECRET,
    },
    health: '/health',
    startupTimeoutMs: 30_000,
    cwd: BLOG_DIR,
  });
}

/** Blog API processes that are children of this test process (none may outlive a run). */
export async function blogProcesses(): Promise<string[]> {
  const { stdout } = await execa('ps', ['-eo', 'pid=,ppid=,args=']);
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes(BLOG_SERVER))
    .filter((line) => line.split(/\s+/)[1] === String(process.pid));
}
