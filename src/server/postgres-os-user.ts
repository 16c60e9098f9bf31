import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { messageOf } from '../errors/venomqa-error.js';
import { PostgresStartError } from './server-errors.js';

export interface OsIdentity {
  uid: number;
  gid: number;
  name: string;
}

const SERVICE_USER = 'postgres';

async function idOf(flag: '-u' | '-g', name: string): Promise<number | undefined> {
  // execa loads only when an identity is looked up (as root), not with this module.
  const { execa } = await import('execa');
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
    const { execa } = await import('execa');
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
    const info = await stat(current).catch((error: NodeJS.ErrnoException) => {
      // A folder that does not exist yet will be created with default (open) modes.
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    const reachable =
      info === undefined ||
      (info.uid === who.uid
        ? (info.mode & 0o100) !== 0
        : info.gid === who.gid
          ? (info.mode & 0o010) !== 0
          : (info.mode & 0o001) !== 0);
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

/** Where managed clusters go when their configured folder is closed to the server's user. */
const SHARED_CLUSTER_ROOT = '/var/lib/venomqa/clusters';

/**
 * The folder a persistent embedded cluster can live in. As root the server runs as `postgres`,
 * which cannot enter a project under a closed folder (`/root/app`, a `mktemp -d` checkout); the
 * cluster then lives under /var/lib/venomqa/clusters, in a folder named after the configured
 * one, so the same project finds it again. Otherwise the configured folder is used as it is.
 */
export async function reachableClusterDir(configured: string): Promise<string> {
  if (process.getuid?.() !== 0) return configured;
  // The service user owns none of the project's parents, so only the "others" bits count.
  const closed = await firstClosedParent(configured, { uid: -1, gid: -1, name: SERVICE_USER });
  if (!closed) return configured;
  const name = createHash('sha256').update(configured).digest('hex').slice(0, 16);
  await mkdir(SHARED_CLUSTER_ROOT, { recursive: true, mode: 0o755 });
  return join(SHARED_CLUSTER_ROOT, name);
}
