/* global process, fetch, AbortSignal, URL, setTimeout, clearTimeout */
// One fixture API of test/fixtures/pools as a child process, and HTTP requests to it that never
// throw: a request reports `{ ok, status, code }`, where `code` is the SQLSTATE (or the pg
// socket error) the API answered with, or `no answer: <network error>` when it did not answer.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const POOL_FIXTURES = ['pg-pool', 'knex', 'typeorm', 'drizzle'];

const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/pools/', import.meta.url));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start `fixture` on DATABASE_URL `databaseUrl` and wait until GET /health answers 200.
 * `exited` tells whether the process has died since (a pool that crashes its app on a
 * terminated session); `stop()` ends it and is safe to call twice.
 */
export async function startPoolApi(fixture, databaseUrl, { timeoutMs = 30_000 } = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [`${FIXTURE_DIR}${fixture}.mjs`], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr = [];
  child.stderr.on('data', (chunk) => {
    stderr.push(...chunk.toString().split('\n').filter(Boolean));
    stderr.splice(0, Math.max(0, stderr.length - 2000));
  });
  let exit;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  const api = {
    fixture,
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid,
    get exited() {
      return exit !== undefined;
    },
    stderr: () => [...stderr],
    async stop() {
      if (exit === undefined) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await request(api, 'GET', '/health')).ok) return api;
    if (api.exited || Date.now() > deadline) {
      await api.stop();
      throw new Error(
        `${fixture} did not become healthy (${api.exited ? 'it exited' : 'timed out'}):\n${stderr.join('\n')}`,
      );
    }
    await sleep(50);
  }
}

/** One request; never throws. */
export async function request(api, method, path, timeoutMs = 10_000) {
  try {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.json().catch(() => null);
    return {
      ok: response.ok,
      status: response.status,
      code: response.ok ? null : (body?.code ?? `HTTP ${response.status}`),
      body,
    };
  } catch (error) {
    return {
      ok: false,
      status: 0,
      code: `no answer: ${error.cause?.code ?? error.name}`,
      body: null,
    };
  }
}
