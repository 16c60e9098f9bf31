import { Command, InvalidArgumentError } from 'commander';
import { diffDatabases, type DiffTarget } from '../../diff/index.js';
import { renderStateDiffText } from '../../report/index.js';
import { configFor, outputFor, type CliContext } from '../cli-context.js';
import { allowRemote, allowRemoteOption, openProjectSnapshotEngine } from '../project-database.js';

interface DiffOptions {
  path?: string;
  db?: string;
  rows?: number;
  maxRows?: number;
  allowRemote?: boolean;
}

function count(min: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min) {
      throw new InvalidArgumentError(`must be an integer >= ${min}`);
    }
    return Number(value);
  };
}

const EXAMPLES = `
Examples:
  venomqa diff order_created paid                  two snapshots
  venomqa diff order_created                       a snapshot and the working database
  venomqa diff order_created --db shop_copy        a snapshot and another database
  venomqa diff order_created --path checkout/pay   a snapshot and the clone kept for a
                                                   failed path (keep_failed), by the name
                                                   the report gives it (journey/path)

Rows are matched by primary key (by whole-row content in tables without one); secret-looking
columns (password, token, secret, card numbers) are shown as ***. Snapshots refuse
connections, so each is read through a temporary clone, dropped afterwards.`;

/**
 * `venomqa diff <from> [to]`: what changed between two snapshots, a snapshot and a database,
 * or a snapshot and a failed path's kept clone, compared as a run's state diffs are.
 */
export function diffCommand(context: CliContext): Command {
  return new Command('diff')
    .argument('<from>', 'snapshot to compare from')
    .argument('[to]', 'snapshot to compare with (default: the working database)')
    .option('--path <path>', 'compare with the clone kept for this failed path (journey/path)')
    .option('--db <database>', 'compare with this database instead of the working database')
    .option('--rows <n>', 'changed rows shown per table (default: report.diff_rows)', count(0))
    .option(
      '--max-rows <n>',
      'tables with more rows are compared by count only (default: report.diff_max_rows)',
      count(1),
    )
    .addOption(allowRemoteOption)
    .addHelpText('after', EXAMPLES)
    .action(
      async (from: string, to: string | undefined, options: DiffOptions, command: Command) => {
        const sides = [to, options.path, options.db].filter((side) => side !== undefined);
        if (sides.length > 1) {
          command.error('error: compare with one of: a second snapshot, --path or --db', {
            exitCode: 2,
          });
        }
        const out = outputFor(command, context);
        const config = await configFor(command, context);
        const { engine, workingDatabase } = await openProjectSnapshotEngine(config, context.cwd, {
          allowRemote: allowRemote(config, options),
        });
        try {
          const target: DiffTarget =
            to !== undefined
              ? { snapshot: to }
              : options.path !== undefined
                ? { keptPath: options.path }
                : { database: options.db ?? workingDatabase };
          const diff = await diffDatabases(engine, { snapshot: from }, target, {
            rowLimit: options.rows ?? config.report.diff_rows,
            maxRows: options.maxRows ?? config.report.diff_max_rows,
          });
          out.result(diff, renderStateDiffText(diff));
        } finally {
          await engine.close();
        }
      },
    );
}
