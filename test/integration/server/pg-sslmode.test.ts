import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TlsConnectionError } from '../../../src/server/connection-errors.js';
import { openPgClient } from '../../../src/server/open-pg-client.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { startTestPostgres } from '../state/embedded-server.js';
import { enableTls } from '../support/tls-postgres.js';

/** Whether this connection (made by venomqa's one helper) is encrypted. */
async function encrypted(url: string): Promise<boolean> {
  const [row] = await queryOnce<{ ssl: boolean }>(
    url,
    'select ssl from pg_stat_ssl where pid = pg_backend_pid()',
  );
  return row?.ssl ?? false;
}

function withParams(url: string, params: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(params)) parsed.searchParams.set(key, value);
  return parsed.toString();
}

describe('sslmode read as libpq does (embedded PostgreSQL, ssl on, self-signed certificate)', () => {
  let tls: PostgresServer;
  let plain: PostgresServer;
  let certFile: string;

  beforeAll(async () => {
    [tls, plain] = await Promise.all([startTestPostgres(), startTestPostgres()]);
    ({ certFile } = await enableTls(tls));
  });

  afterAll(async () => {
    await Promise.allSettled([tls?.stop(), plain?.stop()]);
    if (certFile) await rm(certFile, { force: true });
  });

  it('require: encrypts without verifying the self-signed certificate', async () => {
    expect(await encrypted(withParams(tls.adminUrl, { sslmode: 'require' }))).toBe(true);
  });

  it('prefer: encrypts when the server offers TLS, plain when it does not', async () => {
    expect(await encrypted(withParams(tls.adminUrl, { sslmode: 'prefer' }))).toBe(true);
    expect(await encrypted(withParams(plain.adminUrl, { sslmode: 'prefer' }))).toBe(false);
  });

  it('disable, allow and no sslmode: plain', async () => {
    expect(await encrypted(withParams(tls.adminUrl, { sslmode: 'disable' }))).toBe(false);
    expect(await encrypted(withParams(tls.adminUrl, { sslmode: 'allow' }))).toBe(false);
    expect(await encrypted(tls.adminUrl)).toBe(false);
  });

  it('verify-full: refuses a certificate no trusted CA signed, with a typed error and hint', async () => {
    const url = withParams(tls.adminUrl, { sslmode: 'verify-full' });
    const error = await openPgClient(url).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TlsConnectionError);
    expect((error as TlsConnectionError).message).toContain(
      'TLS failed for postgresql://venomqa:***@',
    );
    expect((error as TlsConnectionError).hint).toContain('sslmode=require');
  });

  it('verify-full and verify-ca: accept the certificate given as sslrootcert', async () => {
    expect(
      await encrypted(withParams(tls.adminUrl, { sslmode: 'verify-full', sslrootcert: certFile })),
    ).toBe(true);
    expect(
      await encrypted(withParams(tls.adminUrl, { sslmode: 'verify-ca', sslrootcert: certFile })),
    ).toBe(true);
  });

  it('require against a server without TLS: a typed error saying so', async () => {
    const error = await openPgClient(withParams(plain.adminUrl, { sslmode: 'require' })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TlsConnectionError);
    expect((error as Error).message).toContain(
      'does not offer TLS, and sslmode=require requires it',
    );
  });
});
