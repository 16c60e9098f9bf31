/**
 * How `CREATE DATABASE … TEMPLATE` copies files.
 *
 * - `file_copy`: copies the template's files and forces a checkpoint. Measured fastest on our
 *   image (110 ms vs 224 ms for WAL_LOG, 157 MB database on tmpfs; bench/image). On PostgreSQL
 *   18 with `file_copy_method = clone` on a reflink filesystem (XFS, btrfs) it is copy-on-write:
 *   flat in database size.
 * - `wal_log`: PostgreSQL 15+'s default; block by block through shared buffers, no checkpoint.
 * - `auto`: `file_copy`, with `clone` tried first on PostgreSQL 18+ and remembered per server.
 */
export type CloneStrategy = 'auto' | 'file_copy' | 'wal_log';

/** The `STRATEGY` clause for a server version (none before 15, which only had file copy). */
export function strategyClause(
  strategy: Exclude<CloneStrategy, 'auto'>,
  versionNum: number,
): string {
  if (versionNum < 150000) return '';
  return strategy === 'wal_log' ? ' STRATEGY WAL_LOG' : ' STRATEGY FILE_COPY';
}
