import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { messageOf } from '../errors/venomqa-error.js';
import { PostgresStartError } from './postgres-server-errors.js';

export interface OsIdentity {
  uid: number;
  gid: number;
  name: string;
}

const SERVICE_USER = 'postgres';

async function idOf(flag: '-u' | '-g', name: string): Promise<number | undefined> {
  const result = await execa('id', [flag, name], { reject: false });
  return result.exitCode === 0 ? Number(result.stdout.trim()) : undefined;
}

/**
 * PostgreSQL refuses to run as root. When we are root, run it as the `postgres` system user,
 * creating it the way Debian's package does when it is missing. Returns undefined when we are
 * not root (then the server simply runs as us).
 */
export async function postgresServiceUser(): Promise<OsIdentity | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  let uid = await idOf('-u', SERVICE_USER);
  if (uid === undefined) {
    try {
      const groupExists =
        (await execa('getent', ['group', SERVICE_USER], { reject: false })).exitCode === 0;
      await execa('useradd', [
        '--system',
        '--no-create-home',
        '--shell',
        '/usr/sbin/nologin',
        ...(groupExists ? ['--gid', SERVICE_USER] : ['--user-group']),
        SERVICE_USER,
      ]);
    } catch (error) {
      throw new PostgresStartError(
        `PostgreSQL cannot run as root and creating the '${SERVICE_USER}' system user failed: ${messageOf(error)}`,
        [],
        {
          cause: error,
          hint: `Create it yourself (useradd --system ${SERVICE_USER}) or run as a normal user.`,
        },
      );
    }
    uid = await idOf('-u', SERVICE_USER);
  }
  const gid = await idOf('-g', SERVICE_USER);
  if (uid === undefined || gid === undefined) {
    throw new PostgresStartError(`Cannot read the ids of the '${SERVICE_USER}' user`, []);
  }
  return { uid, gid, name: SERVICE_USER };
}

/** The first parent folder of `path` that `who` may not enter, if any. */
export async function firstClosedParent(
  path: string,
  who: OsIdentity,
): Promise<string | undefined> {
  let current = dirname(path);
  for (;;) {
    const info = await stat(current);
    const reachable =
      info.uid === who.uid
        ? (info.mode & 0o100) !== 0
        : info.gid === who.gid
          ? (info.mode & 0o010) !== 0
          : (info.mode & 0o001) !== 0;
    if (!reachable) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * Fail early, with a message that says what to change, when `who` cannot reach `path` because
 * one of its parent folders is closed to others (a project under /root, for instance).
 */
export async function assertTraversable(path: string, who: OsIdentity): Promise<void> {
  const closed = await firstClosedParent(path, who);
  if (closed) {
    throw new PostgresStartError(
      `The embedded PostgreSQL server runs as '${who.name}', which cannot enter ${closed} (needed for ${path})`,
      [],
      { hint: `Allow it (chmod o+x ${closed}), or set server.data_dir to a folder it can reach.` },
    );
  }
}
