import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProcessTarget, type ProcessTargetOptions } from '../../../src/api/process-target.js';
import type { ApiProcess } from '../../../src/api/api-process.js';
import { isProcessAlive as isAlive } from '../../../src/process-liveness.js';
import { TargetAbortedError, TargetStartError } from '../../../src/api/target-errors.js';

const ECHO_API = fileURLToPath(new URL('../../fixtures/api/echo-api.mjs', import.meta.url));
const PASSWORD = 's3cret-Pa55word';
const urlFor = (database: string): string =>
  `postgresql://qa:${PASSWORD}@127.0.0.1:5432/${database}`;

function target(overrides: Partial<ProcessTargetOptions> = {}): ProcessTarget {
  return new ProcessTarget({
    command: [process.execPath, ECHO_API],
    health: '/health',
    startupTimeoutMs: 15_000,
    cwd: process.cwd(),
    ...overrides,
  });
}

// A killed orphan may stay a zombie until PID 1 reaps it; isAlive counts that as gone.
function alive(pid: number | undefined): boolean {
  return pid !== undefined && isAlive(pid);
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the acquire to fail');
    },
    (error: unknown) => error,
  );
}

describe('ProcessTarget', () => {
  it('starts one API per database at once, each on its own port and clone, and release stops each', async () => {
    const t = target({ env: { EXTRA: 'db={database_url} port={port}' } });
    expect(t.isolation).toBe('per-path');
    const apis = await Promise.all(
      ['clone_a', 'clone_b', 'clone_c'].map((db) =>
        t.acquire(urlFor(db), { label: `journey/${db}` }),
      ),
    );
    try {
      const ports = apis.map((api) => new URL(api.baseUrl).port);
      expect(new Set(ports).size).toBe(3);
      for (const [index, db] of ['clone_a', 'clone_b', 'clone_c'].entries()) {
        const api = apis[index] as ApiProcess;
        const env = await getJson<{ database: string; port: number; pid: number; extra: string }>(
          `${api.baseUrl}/env`,
        );
        expect(env.database).toBe(db);
        expect(String(env.port)).toBe(new URL(api.baseUrl).port);
        expect(env.pid).toBe(api.pid);
        // Placeholders in api.env are replaced per instance.
        expect(env.extra).toBe(`db=${urlFor(db)} port=${env.port}`);
        // Output arrives through a pipe, independently of the HTTP answer: wait for it.
        await expect.poll(() => api.logs(1)).toEqual(['GET /env']);
        const logs = await api.logs(50);
        expect(logs.some((line) => line.startsWith('echo-api listening on'))).toBe(true);
        // stderr is captured too, with the password masked.
        expect(logs.some((line) => line.startsWith('echo-api starting with DATABASE_URL='))).toBe(
          true,
        );
        expect(logs.join('\n')).not.toContain(PASSWORD);
      }
    } finally {
      await Promise.all(apis.map((api) => api.release()));
    }
    for (const api of apis) {
      expect(alive(api.pid)).toBe(false);
      // The output stays readable after release, ending with the shutdown line.
      expect((await api.logs(1))[0]).toBe('echo-api stopping');
    }
    await apis[0]?.release(); // idempotent
  });

  it('substitutes {port} and {database_url} in command arguments', async () => {
    // The API reads PORT only from its environment; api.env can override it with a placeholder.
    const t = target({
      command: `${process.execPath} ${ECHO_API} --db={database_url} --port={port} --host={host}`,
    });
    const api = await t.acquire(urlFor('args_db'), { label: 'args' });
    try {
      const ps = await import('node:fs/promises').then((fs) =>
        fs.readFile(`/proc/${api.pid}/cmdline`, 'utf8').catch(() => null),
      );
      if (ps !== null) {
        const argv = ps.split('\0');
        expect(argv).toContain(`--db=${urlFor('args_db')}`);
        expect(argv).toContain(`--port=${new URL(api.baseUrl).port}`);
        expect(argv).toContain('--host=127.0.0.1');
      }
    } finally {
      await api.release();
    }
  });

  it('fails at once with the output when the API exits before it is healthy, leaving no process', async () => {
    const t = target({ env: { FAIL_AT_START: '1' }, startupTimeoutMs: 60_000 });
    const started = Date.now();
    const error = await failure(t.acquire(urlFor('app'), { label: 'orders/pay_by_card' }));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(TargetStartError);
    const start = error as TargetStartError;
    expect(start.code).toBe('VENOMQA_TARGET_START_FAILED');
    expect(start.exitCode).toBe(3);
    expect(start.label).toBe('orders/pay_by_card');
    expect(start.message).toContain('orders/pay_by_card');
    expect(start.message).toContain('exited with code 1');
    expect(start.message).toContain('echo-api.mjs');
    expect(start.logLines).toContain('echo-api: cannot connect to the database, giving up');
    expect(start.message).toContain('cannot connect to the database');
    // The API printed its DATABASE_URL; the error shows it masked.
    expect(start.message).toContain('postgresql://qa:***@127.0.0.1:5432/app');
    expect(start.message).not.toContain(PASSWORD);
    expect(JSON.stringify(start.logLines)).not.toContain(PASSWORD);
  });

  it('reports a command that cannot be run, without the password it was given', async () => {
    const t = target({ command: ['venomqa-no-such-binary', '--db', '{database_url}'] });
    const error = await failure(t.acquire(urlFor('app'), { label: 'missing' }));
    expect(error).toBeInstanceOf(TargetStartError);
    const message = (error as TargetStartError).message;
    expect(message).toContain('could not be started');
    expect(message).toContain('ENOENT');
    expect(message).toContain('venomqa-no-such-binary --db postgresql://qa:***@127.0.0.1:5432/app');
    expect(message).not.toContain(PASSWORD);
    expect((error as TargetStartError).hint).toContain('PATH');
  });

  it('gives up after startup_timeout when health never answers 2xx, and stops the process', async () => {
    const t = target({ env: { HANG: '1' }, startupTimeoutMs: 1500 });
    const pids: number[] = [];
    const started = Date.now();
    const error = await failure(
      t.acquire(urlFor('slow'), { label: 'slow/path' }).then((api) => pids.push(api.pid ?? 0)),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(TargetStartError);
    const start = error as TargetStartError;
    expect(start.message).toMatch(
      /did not answer GET http:\/\/127\.0\.0\.1:\d+\/health with 2xx within 1\.5 s/,
    );
    expect(start.message).toContain('answered 503');
    expect(start.logLines).toContain('GET /health');
    expect(start.message).not.toContain(PASSWORD);
    // The process is gone: its port no longer answers.
    const port = /127\.0\.0\.1:(\d+)/.exec(start.message)?.[1];
    await expect(fetch(`http://127.0.0.1:${port}/env`)).rejects.toThrow();
  });

  it('stops a start that is aborted while waiting for health', async () => {
    const t = target({ env: { HANG: '1' }, startupTimeoutMs: 60_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('fail_fast')), 500);
    const started = Date.now();
    const error = await failure(
      t.acquire(urlFor('aborted'), { label: 'aborted/path', signal: controller.signal }),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(TargetAbortedError);
    expect((error as TargetAbortedError).code).toBe('VENOMQA_TARGET_ABORTED');
    expect((error as TargetAbortedError).cause).toEqual(new Error('fail_fast'));

    // Already aborted: nothing is started at all.
    await expect(
      t.acquire(urlFor('aborted'), { label: 'x', signal: controller.signal }),
    ).rejects.toBeInstanceOf(TargetAbortedError);
  });

  it('kills an API that ignores SIGTERM, and children it left behind', async () => {
    const t = target({ env: { IGNORE_SIGTERM: '1' }, stopGraceMs: 1000 });
    const api = await t.acquire(urlFor('stubborn'), { label: 'stubborn' });
    const { pid: childPid } = await getJson<{ pid: number }>(`${api.baseUrl}/spawn`);
    expect(alive(childPid)).toBe(true);
    const started = Date.now();
    await api.release();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(alive(api.pid)).toBe(false);
    expect(alive(childPid)).toBe(false);
    expect(await api.logs(5)).toContain('echo-api ignoring SIGTERM');
  });

  it('stops children that outlive the API after it exits on SIGTERM', async () => {
    const t = target({ stopGraceMs: 2000 });
    const api = await t.acquire(urlFor('orphans'), { label: 'orphans' });
    const { pid: childPid } = await getJson<{ pid: number }>(`${api.baseUrl}/spawn`);
    await api.release();
    expect(alive(api.pid)).toBe(false);
    expect(alive(childPid)).toBe(false);
  });

  it('rejects a command string that needs a shell when the target is created', () => {
    expect(() => target({ command: 'PORT=3000 node server.js' })).toThrow(/variable assignment/);
    expect(() => target({ command: 'node server.js --port $PORT' })).toThrow(/shell syntax/);
    expect(() => target({ command: 'node server.js && echo done' })).toThrow(/shell syntax/);
  });
});
