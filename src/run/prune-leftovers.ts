import { randomBytes } from 'node:crypto';
import { pruneApiProcesses } from '../api/prune-api-processes.js';
import { redactText } from '../redaction/index.js';
import { findDockerDaemon, isDockerAvailable } from '../docker/find-docker-daemon.js';
import { pruneApiImages } from '../docker/prune-api-images.js';
import { pruneOrphanContainers } from '../docker/prune-containers.js';
import { parsePostgresUrl } from '../server/postgres-url.js';
import { adminUrlFor } from '../snapshot/maintenance-database.js';
import { prunePgBouncers } from '../server/pgbouncer-local.js';
import { pruneEmbeddedClusters } from '../server/prune-embedded.js';
import { SnapshotEngine, type PruneResult } from '../snapshot/snapshot-engine.js';

export interface PruneLeftoversOptions {
  /**
   * A URL of the PostgreSQL server whose run-owned clones and temporaries to drop (any database
   * on it; the maintenance database is used). Without it only this machine is cleaned.
   */
  databaseUrl?: string;
  /** Allow a non-loopback server (the CLI allows one only with `safety.allow_remote` and --allow-remote). */
  allowRemote?: boolean;
  /** Only databases older than this many milliseconds. */
  olderThanMs?: number;
  /** List what would be removed, remove nothing. */
  dryRun?: boolean;
}

export interface PruneLeftoversResult {
  /** Databases dropped and those kept because their run lives; absent without `databaseUrl`. */
  databases?: PruneResult;
  /** Temporary embedded clusters whose owner is gone. */
  clusters: string[];
  /** Containers of runs whose process is gone. */
  containers: string[];
  /** `pid command` of API processes whose venomqa is gone, with passwords masked. */
  processes: string[];
  /** API images venomqa built beyond the newest 3 per image name. */
  images: string[];
  /** Local PgBouncers (`server.pooler`) of runs that are gone. */
  poolers: string[];
}

/**
 * Remove what runs that no longer live left behind: on this machine, temporary embedded
 * clusters, containers and API processes whose venomqa process is gone, and API images it
 * built beyond the newest 3 per name; on the server at `databaseUrl`, run-owned clones and
 * temporaries, and setup templates a newer one replaced. Named snapshots and the managed database are
 * never touched.
 *
 * @example
 * ```ts
 * const { databases, containers } = await pruneLeftovers({ databaseUrl: process.env.DB_URL });
 * ```
 */
export async function pruneLeftovers(
  options: PruneLeftoversOptions = {},
): Promise<PruneLeftoversResult> {
  const dryRun = options.dryRun ?? false;
  let containers: string[] = [];
  let images: string[] = [];
  if (await isDockerAvailable()) {
    const { docker } = await findDockerDaemon();
    containers = await pruneOrphanContainers(docker, { dryRun });
    images = (await pruneApiImages(docker, { dryRun })).removed;
  }
  const result: PruneLeftoversResult = {
    clusters: await pruneEmbeddedClusters({ dryRun }),
    containers,
    // Their command lines may carry a database URL: keep them redacted.
    processes: (await pruneApiProcesses({ dryRun })).map((p) => redactText(p)),
    images,
    poolers: await prunePgBouncers({ dryRun }),
  };
  if (options.databaseUrl !== undefined) {
    const engine = await SnapshotEngine.open({
      adminUrl: adminUrlFor(options.databaseUrl, parsePostgresUrl(options.databaseUrl).database),
      allowRemote: options.allowRemote ?? false,
      // Not this process's run id: with VENOMQA_RUN_ID shared by a group of processes, prune's
      // own lease would count the group as alive and keep what its dead members left. A live
      // member holds the lease itself.
      runId: `prune-${randomBytes(5).toString('hex')}`,
    });
    try {
      result.databases = await engine.prune({
        ...(options.olderThanMs === undefined ? {} : { olderThanMs: options.olderThanMs }),
        dryRun,
      });
    } finally {
      await engine.close();
    }
  }
  return result;
}
