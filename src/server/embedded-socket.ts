import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where an embedded server's Unix socket lives: a folder of its own in the cluster's root
 * folder, mode 0700 and owned by the server's OS user, so only that user (and root) can connect
 * there. initdb sets `local` logins to `trust` (`--auth-local=trust`), which is safe for that
 * reason, and it is what makes the socket worth having: a PgBouncer in front of the server (it
 * runs as the same user) logs in again after every swap it pauses for, and SCRAM over TCP was
 * most of that (restore window p50 27 → 19 ms, p95 38–65 → 28–33 ms with 20 clients).
 *
 * Undefined when the path would be longer than a socket address takes (107 bytes on Linux):
 * the server then listens on TCP only, as before.
 */
export function embeddedSocketDir(rootDir: string): string | undefined {
  const dir = join(rootDir, 'socket');
  // `.s.PGSQL.<port>.lock` is the longest name PostgreSQL puts there.
  return Buffer.byteLength(join(dir, '.s.PGSQL.65535.lock')) <= MAX_SOCKET_PATH ? dir : undefined;
}

/** `sizeof(sun_path) - 1` on Linux: the longest Unix socket path a process can bind. */
const MAX_SOCKET_PATH = 107;

/** The socket file of a server on `port` in `dir`, when the server listens there now. */
export function socketListening(dir: string, port: number): boolean {
  return existsSync(join(dir, `.s.PGSQL.${port}`));
}
