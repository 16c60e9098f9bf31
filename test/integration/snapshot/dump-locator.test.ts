import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerStreamDemux } from '../../../src/snapshot/dump/docker-stream-demux.js';
import { parseDumpArchiveHeader } from '../../../src/snapshot/dump/dump-archive-header.js';
import { LocalPgTools } from '../../../src/snapshot/dump/local-pg-tools.js';
import { locatePgTools } from '../../../src/snapshot/dump/locate-pg-tools.js';
import {
  DumpFileError,
  PgDumpUnavailableError,
  PgToolFailedError,
} from '../../../src/snapshot/dump/pg-dump-errors.js';
import { toolConnection } from '../../../src/snapshot/dump/tool-connection.js';
import { dockerAvailable } from '../support/services.js';

const hasDocker = await dockerAvailable();

let root: string;

/**
 * A directory with fake pg_dump and pg_restore that print `version` for --version. Otherwise
 * they record their arguments and PGPASSWORD in `calls.log`, print `stderr`, and exit `status`.
 */
async function fakeTools(
  name: string,
  version: string,
  behaviour: { stderr?: string; status?: number } = {},
): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (const tool of ['pg_dump', 'pg_restore']) {
    const script = `#!/bin/sh
if [ "$1" = --version ]; then echo "${tool} (PostgreSQL) ${version}"; exit 0; fi
printf 'argv=%s\\npassword=%s\\n' "$*" "$PGPASSWORD" >> "${dir}/calls.log"
printf '%s\\n' '${behaviour.stderr ?? ''}' >&2
exit ${behaviour.status ?? 0}
`;
    await writeFile(join(dir, tool), script);
    await chmod(join(dir, tool), 0o755);
  }
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'venomqa-pg-tools-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('locatePgTools', () => {
  const noDebian = (): string => join(root, 'no-debian');

  it('uses VENOMQA_PG_BIN when set and new enough, and says so', async () => {
    const dir = await fakeTools('explicit-18', '18.1');
    const progress: string[] = [];
    const tools = await locatePgTools({
      requiredMajor: 17,
      purpose: 'the server (PostgreSQL 17.6)',
      env: { VENOMQA_PG_BIN: dir, PATH: '' },
      debianRoot: noDebian(),
      docker: false,
      onProgress: (line) => progress.push(line),
    });
    expect(tools).toMatchObject({ where: dir, version: '18.1', major: 18 });
    expect(progress).toEqual([
      `Using pg_dump/pg_restore 18.1 from ${dir} (the server (PostgreSQL 17.6) needs 17 or newer)`,
    ]);
  });

  it('does not look elsewhere when VENOMQA_PG_BIN is too old: the explicit choice is the error', async () => {
    const old = await fakeTools('explicit-12', '12.3');
    const good = await fakeTools('on-path-17', '17.2');
    const error = await locatePgTools({
      requiredMajor: 17,
      purpose: 'the server (PostgreSQL 17.6)',
      env: { VENOMQA_PG_BIN: old, PATH: good },
      debianRoot: noDebian(),
      docker: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgDumpUnavailableError);
    expect((error as Error).message).toContain(`${old} (VENOMQA_PG_BIN): 12.3, older than 17`);
    expect((error as PgDumpUnavailableError).hint).toContain('VENOMQA_PG_BIN');
  });

  it('picks the newest major that fits among PATH and the Debian layout', async () => {
    const old = await fakeTools('path-14', '14.9');
    const newest = await fakeTools('path-19', '19devel');
    await fakeTools('debian/18/bin', '18.0');
    const tools = await locatePgTools({
      requiredMajor: 17,
      purpose: 'test',
      env: { PATH: [old, newest].join(':') },
      debianRoot: join(root, 'debian'),
      docker: false,
    });
    expect(tools).toMatchObject({ where: newest, major: 19 });
    const debian = await locatePgTools({
      requiredMajor: 17,
      purpose: 'test',
      env: { PATH: old },
      debianRoot: join(root, 'debian'),
      docker: false,
    });
    expect(debian.where).toBe(join(root, 'debian', '18', 'bin'));
  });

  it('lists what it found, with versions, and what to install when nothing fits', async () => {
    const old = await fakeTools('path-15', '15.18');
    const error = await locatePgTools({
      requiredMajor: 18,
      purpose: 'the server (PostgreSQL 18.1)',
      env: { PATH: old },
      debianRoot: noDebian(),
      docker: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgDumpUnavailableError);
    const unavailable = error as PgDumpUnavailableError;
    expect(unavailable.code).toBe('VENOMQA_PG_DUMP_UNAVAILABLE');
    expect(unavailable.exitCode).toBe(3);
    expect(unavailable.message).toContain(
      'No pg_dump/pg_restore of PostgreSQL 18 or newer for the server (PostgreSQL 18.1)',
    );
    expect(unavailable.message).toContain(`${old}: 15.18, older than 18`);
    expect(unavailable.hint).toContain('apt-get install postgresql-client-18');
    expect(unavailable.hint).toContain('VENOMQA_PG_BIN');
  });

  it.skipIf(!hasDocker)(
    'does not build or run an image whose PostgreSQL is known to be too old',
    async () => {
      const error = await locatePgTools({
        requiredMajor: 99,
        purpose: 'test',
        env: { PATH: '' },
        debianRoot: noDebian(),
        docker: { image: 'venomqa/postgres:17', baseImage: 'unused', network: 'host' },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PgDumpUnavailableError);
      expect((error as Error).message).toContain(
        'docker image venomqa/postgres:17: 17, older than 99',
      );
    },
  );
});

describe('local pg_dump and pg_restore', () => {
  it('get the password from the environment, never their arguments, and failures are redacted', async () => {
    const password = 'pa$$:w/rd';
    const dir = await fakeTools('failing', '17.1', {
      status: 1,
      stderr: `pg_dump: error: connection failed for postgresql://qa:${encodeURIComponent(password)}@db/app password=${password}`,
    });
    const tools = new LocalPgTools(dir, { version: '17.1', major: 17 });
    const connection = toolConnection(
      `postgresql://qa:${encodeURIComponent(password)}@127.0.0.1:5432/app?sslmode=disable`,
    );
    const error = await tools.dump(connection, join(root, 'out.dump')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgToolFailedError);
    const failure = error as PgToolFailedError;
    expect(failure.status).toBe(1);
    expect(failure.message).toContain('pg_dump 17.1');
    expect(failure.message).toContain("database 'app'");
    expect(failure.message).not.toContain(password);
    expect(failure.message).not.toContain(encodeURIComponent(password));

    const calls = await readFile(join(dir, 'calls.log'), 'utf8');
    expect(calls).toContain(`password=${password}\n`);
    const argv = calls.split('\n').find((l) => l.startsWith('argv=')) ?? '';
    expect(argv).toContain('--format=custom --no-owner --no-acl');
    expect(argv).toContain('--dbname=postgresql://qa@127.0.0.1:5432/app?sslmode=disable');
    expect(argv).not.toContain(password);
    expect(argv).not.toContain(encodeURIComponent(password));
  });
});

describe('dump plumbing', () => {
  it('splits a Docker attach stream into stdout and stderr across any chunking', async () => {
    const frame = (stream: number, payload: string): Buffer => {
      const body = Buffer.from(payload);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(body.length, 4);
      return Buffer.concat([header, body]);
    };
    const all = Buffer.concat([frame(1, 'PGDMP'), frame(2, 'warning\n'), frame(1, '-data')]);
    // Every byte its own chunk: headers and payloads split at every possible place.
    const chunks = [...all].map((b) => Buffer.from([b]));
    const stderr: Buffer[] = [];
    const stdout = await text(
      Readable.from(chunks).pipe(new DockerStreamDemux((c) => stderr.push(c))),
    );
    expect(stdout).toBe('PGDMP-data');
    expect(Buffer.concat(stderr).toString()).toBe('warning\n');
  });

  it('rejects what is not a custom-format archive, naming the formats it takes', () => {
    const sql = () => parseDumpArchiveHeader(Buffer.from('-- PostgreSQL database dump\n'));
    expect(sql).toThrow(DumpFileError);
    expect(sql).toThrow(/does not start with PGDMP/);
    // PGDMP, version 1.16.0, int size 4, offset size 8, format 3 (tar).
    const tar = Buffer.from([...Buffer.from('PGDMP'), 1, 16, 0, 4, 8, 3]);
    expect(() => parseDumpArchiveHeader(tar)).toThrow(/format code 3/);
    expect(() => parseDumpArchiveHeader(Buffer.from('PGDMP'))).toThrow(/cut short/);
  });
});
