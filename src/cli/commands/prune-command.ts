import { Command, InvalidArgumentError } from 'commander';
import { pruneLeftovers } from '../../run/index.js';
import { configFor, outputFor, type CliContext } from '../cli-context.js';
import { parseDuration } from '../parse-duration.js';
import { allowRemote, allowRemoteOption, projectDatabaseUrl } from '../project-database.js';

/**
 * `venomqa prune`: remove what runs that no longer live left behind. On this machine: embedded
 * clusters, containers and API processes whose venomqa process is gone, and API images venomqa
 * built beyond the newest 3 per name. On the database (`db_url`, else the managed one, when
 * there is one): run-owned clones and temporaries, and superseded setup templates.
 */
export function pruneCommand(context: CliContext): Command {
  return new Command('prune')
    .option('--older-than <duration>', 'only databases older than this (30m, 2h, 1d)', (v) => {
      try {
        return parseDuration(v);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    })
    .option('--dry-run', 'list what would be removed, remove nothing')
    .addOption(allowRemoteOption)
    .action(
      async (
        options: { olderThan?: number; dryRun?: boolean; allowRemote?: boolean },
        command: Command,
      ) => {
        const out = outputFor(command, context);
        const dryRun = options.dryRun ?? false;
        const config = await configFor(command, context);
        const databaseUrl = await projectDatabaseUrl(config, context.cwd);
        const { databases, ...local } = await pruneLeftovers({
          ...(databaseUrl === undefined ? {} : { databaseUrl }),
          allowRemote: allowRemote(config, options),
          ...(options.olderThan === undefined ? {} : { olderThanMs: options.olderThan }),
          dryRun,
        });
        const verb = dryRun ? 'Would remove' : 'Removed';
        const list = (items: string[]) => (items.length ? `: ${items.join(', ')}` : '');
        const lines = [
          databases
            ? `${verb} ${databases.dropped.length} database(s)${list(databases.dropped)}; kept ${databases.kept.length} of live runs`
            : 'Databases: skipped (no db_url and no managed database)',
          ...(databases && databases.reopened.length > 0
            ? [
                `${dryRun ? 'Would let' : 'Let'} connections back into ${databases.reopened.length} database(s) a killed run had locked out${list(databases.reopened)}`,
              ]
            : []),
          `${verb} ${local.clusters.length} embedded server(s)${list(local.clusters)}`,
          `${verb} ${local.containers.length} container(s)${list(local.containers)}`,
          `${verb} ${local.processes.length} API process(es)${list(local.processes)}`,
          `${verb} ${local.images.length} old API image(s)${list(local.images)}`,
          `${verb} ${local.poolers.length} PgBouncer(s)${list(local.poolers)}`,
        ];
        out.result(
          {
            databases: databases ?? { skipped: 'no db_url and no managed database' },
            ...local,
            dryRun,
          },
          lines.join('\n'),
        );
      },
    );
}
