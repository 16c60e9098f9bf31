import { chown, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';

/**
 * Turns TLS on in a running PostgreSQL (the test's own embedded server) with a self-signed
 * certificate for `localhost` and 127.0.0.1, made with openssl: the usual managed-database or
 * pooler setup whose certificate no public CA signed. Returns the certificate (PEM), to use as
 * `sslrootcert` for verify-ca / verify-full.
 */
export async function enableTls(server: PostgresServer): Promise<{ certFile: string }> {
  const [row] = await queryOnce<{ dir: string }>(
    server.adminUrl,
    "select current_setting('data_directory') as dir",
  );
  if (row === undefined) throw new Error('no data_directory');
  const dataDir = row.dir;
  const work = await mkdtemp(join(tmpdir(), 'venomqa-tls-'));
  try {
    await execa('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(work, 'server.key'),
      '-out',
      join(work, 'server.crt'),
    ]);
    const owner = await stat(dataDir);
    for (const [name, mode] of [
      ['server.crt', 0o644],
      ['server.key', 0o600],
    ] as const) {
      const target = join(dataDir, name);
      await writeFile(target, await readFile(join(work, name)), { mode });
      await chown(target, owner.uid, owner.gid);
    }
    const certFile = join(tmpdir(), `venomqa-tls-ca-${process.pid}-${Date.now()}.pem`);
    await writeFile(certFile, await readFile(join(work, 'server.crt')));
    await queryOnce(server.adminUrl, "alter system set ssl_cert_file = 'server.crt'");
    await queryOnce(server.adminUrl, "alter system set ssl_key_file = 'server.key'");
    await queryOnce(server.adminUrl, 'alter system set ssl = on');
    await queryOnce(server.adminUrl, 'select pg_reload_conf()');
    // The reload is a signal: wait until new connections see it.
    for (let attempt = 0; attempt < 100; attempt++) {
      const [ssl] = await queryOnce<{ on: string }>(
        server.adminUrl,
        "select current_setting('ssl') as on",
      );
      if (ssl?.on === 'on') return { certFile };
      await sleep(50);
    }
    throw new Error('ssl did not turn on after pg_reload_conf()');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
