import type { Command } from 'commander';
import { redactUrl } from '../../config/index.js';
import {
  PsqlNotFoundError,
  findKeptClone,
  findPsql,
  runPsql,
  type Clone,
} from '../../snapshot/index.js';
import { NoDatabaseError } from '../cli-errors.js';
import { configFor, outputFor, type CliContext } from '../cli-context.js';
import {
  allowRemote,
  allowRemoteOption,
  openProjectSnapshotEngine,
  projectDatabaseUrl,
} from '../project-database.js';

interface PsqlOptions {
  snapshot?: string;
  path?: string;
  database?: string;
  allowRemote?: boolean;
}

/**
 * `venomqa db psql [-- psql args]`: psql on the working database (`db_url`, else the managed
 * `venomqa db`); with `--snapshot NAME` on a temporary clone of that snapshot, dropped when psql
 * exits; with `--path journey/path` on the clone `keep_failed` kept for that failed path. Exits
 * with psql's exit code.
 */
export function addPsqlCommand(db: Command, context: CliContext): void {
  db.command('psql')
    .description(
      'open psql on the working database, a temporary clone of a snapshot, or a failed path’s kept clone',
    )
    .argument('[psql-args...]', 'passed to psql after `--` (`-- -c "select 1"`)')
    .option('--snapshot <name>', 'a temporary clone of this snapshot, dropped when psql exits')
    .option('--path <journey/path>', 'the clone kept for this failed path (run --keep-failed)')
    .option('--database <name>', 'another database on the same server')
    .addOption(allowRemoteOption)
    .action(async (args: string[], options: PsqlOptions, command: Command) => {
      const out = outputFor(command, context);
      const config = await configFor(command, context);
      // Before anything is cloned: without psql there is nothing to open it with.
      const psql = await findPsql(context.env);
      if (psql.file === undefined) throw new PsqlNotFoundError(psql.looked);
      const working = await projectDatabaseUrl(config, context.cwd);
      if (!working) {
        throw new NoDatabaseError(
          'No database to open: db_url is not set and no managed database runs',
          {
            hint: 'Set VENOMQA_DB_URL (or db_url in venomqa.yaml), or start one with `venomqa db up`.',
          },
        );
      }
      let url = working;
      let clone: Clone | undefined;
      let close: (() => Promise<void>) | undefined;
      if (options.snapshot !== undefined || options.path !== undefined) {
        const { engine } = await openProjectSnapshotEngine(config, context.cwd, {
          allowRemote: allowRemote(config, options),
        });
        close = () => engine.close();
        try {
          if (options.snapshot !== undefined) {
            [clone] = await engine.clone(options.snapshot, 1);
            if (!clone) throw new Error(`no clone of snapshot '${options.snapshot}' was made`);
            url = clone.url;
            out.progress(
              `psql on ${clone.database}, a temporary clone of snapshot '${options.snapshot}' (dropped when psql exits)`,
            );
          } else {
            const found = findKeptClone(await engine.keptClones(), options.path ?? '');
            url = engine.urlFor(found.physical);
            out.progress(
              `psql on ${found.physical}, the clone kept for failed path '${found.path}' (${found.keptAt ?? 'unknown time'}; \`venomqa prune\` drops it)`,
            );
          }
        } catch (error) {
          await clone?.drop().catch(() => undefined);
          await engine.close();
          throw error;
        }
      } else {
        if (options.database !== undefined) url = withDatabaseName(working, options.database);
        out.progress(`psql on ${redactUrl(url)}`);
      }
      try {
        process.exitCode = await withoutInterrupt(() => runPsql(url, { args, env: context.env }));
      } finally {
        await clone?.drop();
        await close?.();
      }
    });
}

function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Ctrl-C belongs to psql while it runs (it cancels the query at its prompt): venomqa's own
 * handler, which would abort and clean up, is set aside until psql exits.
 */
async function withoutInterrupt<T>(run: () => Promise<T>): Promise<T> {
  const listeners = process.listeners('SIGINT');
  process.removeAllListeners('SIGINT');
  const ignore = (): void => undefined;
  process.on('SIGINT', ignore);
  try {
    return await run();
  } finally {
    process.off('SIGINT', ignore);
    for (const listener of listeners) process.on('SIGINT', listener);
  }
}
