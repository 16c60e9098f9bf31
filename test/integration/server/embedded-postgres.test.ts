import { isProcessAlive } from '../../../src/process-liveness.js';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../../src/server/embedded-postgres.js';
import {
  AuthenticationFailedError,
  ConnectionRefusedError,
} from '../../../src/server/connection-errors.js';
import { PostgresUnavailableError } from '../../../src/server/server-errors.js';
import { connectUrlPostgres } from '../../../src/server/url-postgres.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';

const base = {
  port: null,
  user: 'venomqa',
  password: null,
  database: 'app',
  startupTimeoutMs: 60_000,
};

describe('embedded provider', () => {
  it('starts a real server that answers queries on the requested database, and stop removes it', async () => {
    const server = await startEmbeddedPostgres(base);
    const pid = Number(server.id);
    try {
      expect(server.provider).toBe('embedded');
      expect(server.versionNum).toBeGreaterThanOrEqual(180000);
      const rows = await queryOnce<{ db: string; fsync: string }>(
        server.urlFor('app'),
        "select current_database() as db, current_setting('fsync') as fsync",
      );
      expect(rows).toEqual([{ db: 'app', fsync: 'off' }]);
      expect((await server.logs(100)).join('\n')).toContain('ready to accept connections');
      expect(isProcessAlive(pid)).toBe(true);
    } finally {
      await server.stop();
    }
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(join(server.socketDir ?? '', '..'))).toBe(false);
    await server.stop(); // idempotent
  });

  it('listens on a Unix socket in a folder only its OS user reaches, with local logins trusted', async () => {
    await using server = await startEmbeddedPostgres(base);
    const socketDir = server.socketDir;
    if (socketDir === undefined) throw new Error('no socket folder');
    expect((await stat(socketDir)).mode & 0o777).toBe(0o700);
    // The same user, no password: what a PgBouncer in front of it logs in with after each swap.
    const client = new pg.Client({
      host: socketDir,
      port: server.port,
      user: 'venomqa',
      database: 'app',
    });
    await client.connect();
    try {
      const { rows } = await client.query<{ local: boolean }>(
        'select inet_client_addr() is null as local',
      );
      expect(rows).toEqual([{ local: true }]);
    } finally {
      await client.end();
    }
  });

  it('rejects a wrong password', async () => {
    await using server = await startEmbeddedPostgres(base);
    const wrong = new URL(server.urlFor('app'));
    wrong.password = 'not-the-password';
    const error = await queryOnce(wrong.toString(), 'select 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationFailedError);
    expect(error).toMatchObject({
      code: 'VENOMQA_AUTHENTICATION_FAILED',
      cause: { code: '28P01' },
    });
    expect((error as Error).message).not.toContain('not-the-password');
  });

  it('keeps data in a given folder across a stop and a new start', async () => {
    const root = await mkdtemp(join(tmpdir(), 'venomqa-test-persist-'));
    try {
      const first = await startEmbeddedPostgres({ ...base, rootDir: root, password: 'pw-1' });
      await queryOnce(
        first.urlFor('app'),
        'create table kept (id int); insert into kept values (7)',
      );
      await first.stop();
      expect(existsSync(join(root, 'data', 'PG_VERSION'))).toBe(true);
      await using second = await startEmbeddedPostgres({
        ...base,
        rootDir: root,
        password: 'pw-1',
      });
      expect(await queryOnce(second.urlFor('app'), 'select id from kept')).toEqual([{ id: 7 }]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('url provider', () => {
  it('connects to a running server and never stops it', async () => {
    await using embedded = await startEmbeddedPostgres(base);
    const viaUrl = await connectUrlPostgres(embedded.urlFor('app'));
    expect(viaUrl.provider).toBe('url');
    expect(viaUrl.version).toBe(embedded.version);
    expect(viaUrl.database).toBe('app');
    await viaUrl.stop();
    expect(await queryOnce(embedded.urlFor('app'), 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('fails with a typed error that names the server without its password', async () => {
    await using embedded = await startEmbeddedPostgres(base);
    const bad = `postgresql://venomqa:s3cret-pw@127.0.0.1:${embedded.port + 1}/app`;
    const error = await connectUrlPostgres(bad, { timeoutMs: 500 }).catch((e: unknown) => e);
    // The last attempt's typed error, which says what to do about it.
    expect(error).toBeInstanceOf(ConnectionRefusedError);
    expect((error as Error).message).toContain(
      `Connection refused to postgresql://venomqa:***@127.0.0.1:${embedded.port + 1}/app`,
    );
    expect((error as Error).message).not.toContain('s3cret-pw');
    expect((error as ConnectionRefusedError).exitCode).toBe(3);
    // A URL that is not one is still the url provider's own error.
    const malformed = await connectUrlPostgres('postgresql://venomqa:s3cret-pw@[bad/app').catch(
      (e: unknown) => e,
    );
    expect(malformed).toBeInstanceOf(PostgresUnavailableError);
  });
});
