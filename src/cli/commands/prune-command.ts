import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { redactText } from '../../config/redact.js';
import { findDockerDaemon, isDockerAvailable } from '../../docker/find-docker-daemon.js';
import { pruneOrphanContainers } from '../../docker/prune-containers.js';
import { pruneApiImages } from '../../docker/prune-api-images.js';
import { pruneEmbeddedClusters } from '../../server/prune-embedded.js';
import { pruneApiProcesses } from '../../api/prune-api-processes.js';
import { configFor, outputFor, type CliContext } from '../cli-context.js';
import {
  NoDatabaseError,
  allowRemote,
  openSnapshotEngine,
  parseDuration,
} from '../open-snapshot-engine.js';

/**
 * `venomqa prune`: remove what runs that no longer live left behind. On this machine: embedded
 * clusters, containers and API processes whose venomqa process is gone. On the database
 * (`db_url`, else the managed one, when there is one): run-owned clones and temporaries.
 */
export function pruneCommand(context: CliContext): Command {
  return new Command('prune')
    .description(
      'remove what dead runs left: clones and temporaries (named snapshots are kept), embedded servers, containers, API processes; API images venomqa built beyond the newest 3 per name',
    )
    .option('--older-than <duration>', 'only databases older than this (30m, 2h, 1d)', (v) => {
      try {
        return parseDuration(v);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    })
    .option('--dry-run', 'list what would be removed, remove nothing')
    .addOption(allowRemote)
    .action(
      async (
        options: { olderThan?: number; dryRun?: boolean; allowRemote?: boolean },
        command: Command,
      ) => {
        const out = outputFor(command, context);
        const dryRun = options.dryRun ?? false;
        const local = await pruneLocalOrphans(dryRun);
        let databases:
          { dropped: string[]; kept: string[]; reopened: string[] } | { skipped: string };
        try {
          const { engine } = await openSnapshotEngine(
            await configFor(command, context),
            context.cwd,
            {
              allowRemoteFlag: options.allowRemote ?? false,
              // Not this process's run id: with VENOMQA_RUN_ID shared by a group of processes,
              // prune's own lease would count the group as alive and keep what its dead
              // members left. A live member holds the lease itself.
              runId: `prune-${randomBytes(5).toString('hex')}`,
            },
          );
          try {
            databases = await engine.prune({
              ...(options.olderThan !== undefined ? { olderThanMs: options.olderThan } : {}),
              dryRun,
            });
          } finally {
            await engine.close();
          }
        } catch (error) {
          if (!(error instanceof NoDatabaseError)) throw error;
          databases = { skipped: 'no db_url and no managed database' };
        }
        const verb = dryRun ? 'Would remove' : 'Removed';
        const list = (items: string[]) => (items.length ? `: ${items.join(', ')}` : '');
        const lines = [
          'dropped' in databases
            ? `${verb} ${databases.dropped.length} database(s)${list(databases.dropped)}; kept ${databases.kept.length} of live runs`
            : `Databases: skipped (${databases.skipped})`,
          ...('reopened' in databases && databases.reopened.length > 0
            ? [
                `${dryRun ? 'Would let' : 'Let'} connections back into ${databases.reopened.length} database(s) a killed run had locked out${list(databases.reopened)}`,
              ]
            : []),
          `${verb} ${local.clusters.length} embedded server(s)${list(local.clusters)}`,
          `${verb} ${local.containers.length} container(s)${list(local.containers)}`,
          `${verb} ${local.images.length} old API image(s)${list(local.images)}`,
          `${verb} ${local.processes.length} API process(es)${list(local.processes)}`,
        ];
        out.result({ databases, ...local, dryRun }, lines.join('\n'));
      },
    );
}

/**
 * Embedded clusters, containers and API processes whose venomqa process is gone, and API
 * images venomqa built beyond the newest few per image name.
 */
async function pruneLocalOrphans(dryRun: boolean) {
  let containers: string[] = [];
  let images: string[] = [];
  if (await isDockerAvailable()) {
    const { docker } = await findDockerDaemon();
    containers = await pruneOrphanContainers(docker, { dryRun });
    images = (await pruneApiImages(docker, { dryRun })).removed;
  }
  return {
    clusters: await pruneEmbeddedClusters({ dryRun }),
    containers,
    images,
    // Their command lines may carry a database URL: print them redacted.
    processes: (await pruneApiProcesses({ dryRun })).map((p) => redactText(p)),
  };
}
