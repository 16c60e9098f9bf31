import { resolve } from 'node:path';
import { Command } from 'commander';
import type { ResolvedConfig } from '../../config/index.js';
import {
  exportSnapshot,
  importSnapshot,
  validateSnapshotName,
  type DumpOptions,
} from '../../snapshot/index.js';
import { configFor, outputFor, type CliContext } from '../cli-context.js';
import { confirmDestructive } from '../confirm-destructive.js';
import type { Output } from '../output.js';
import {
  allowRemote,
  allowRemoteOption,
  openProjectSnapshotEngine,
  type ProjectSnapshotEngine,
} from '../project-database.js';

async function withEngine<T>(
  command: Command,
  context: CliContext,
  options: { allowRemote?: boolean; db?: string },
  work: (target: ProjectSnapshotEngine) => Promise<T>,
): Promise<T> {
  const config = await configFor(command, context);
  const target = await openProjectSnapshotEngine(config, context.cwd, {
    allowRemote: allowRemote(config, options),
    ...(options.db ? { database: options.db } : {}),
  });
  try {
    return await work(target);
  } finally {
    await target.engine.close();
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Printed under `snapshot export --help` and `snapshot import --help`. */
const PG_TOOLS_HELP = `
Needs pg_dump and pg_restore at least as new as the server's PostgreSQL major version
(pg_dump refuses newer servers; import also needs them as new as the pg_dump that wrote
the file). venomqa uses the first that fits, and says which:
  1. VENOMQA_PG_BIN, a directory holding both (when set, nothing else is tried)
  2. pg_dump on PATH and in /usr/lib/postgresql/<major>/bin: the newest major that fits
  3. when Docker answers: the tools inside server.image (default venomqa/postgres:17,
     PostgreSQL 17; built if missing), run in a throwaway container with host networking
The embedded server is PostgreSQL 18 and ships no pg_dump: install postgresql-client-18
(PGDG repository, apt.postgresql.org), point VENOMQA_PG_BIN at it, or use
server.provider docker.

The file is a plain pg_dump --format=custom archive (no owners, no privileges), usable with
pg_restore directly; export writes the snapshot's catalog entry (name, source, created,
server version, checksum) next to it as <file>.json, and import checks the pair when the
sidecar is there. Import takes any custom-format archive, with or without one.`;

function dumpOptions(config: ResolvedConfig, context: CliContext, out: Output): DumpOptions {
  return {
    locate: {
      env: context.env,
      docker: {
        image: config.server.image,
        baseImage: config.server.base_image,
        network: config.server.network,
      },
      onProgress: (line) => out.progress(line),
    },
    signal: context.signal,
  };
}

/**
 * `venomqa snapshot create|list|restore|delete|export|import`: named snapshots of the QA database.
 * A verb that takes a snapshot name checks it before it looks for a database: a bad name is the
 * first thing to say, whether or not a database runs.
 */
export function snapshotCommand(context: CliContext): Command {
  const snapshot = new Command('snapshot');

  snapshot
    .command('create <name>')
    .description('snapshot a database (sessions on it are ended for the copy)')
    .option('--db <database>', 'database to snapshot (default: the working database)')
    .addOption(allowRemoteOption)
    .action(
      async (name: string, options: { db?: string; allowRemote?: boolean }, command: Command) => {
        validateSnapshotName(name);
        const out = outputFor(command, context);
        await withEngine(command, context, options, async ({ engine, workingDatabase }) => {
          const source = options.db ?? workingDatabase;
          const started = performance.now();
          const ref = await engine.snapshot(source, name);
          const ms = Math.round(performance.now() - started);
          out.result(
            { name, database: ref.physical, source, ms },
            `Created snapshot '${name}' of ${source} in ${ms} ms`,
          );
        });
      },
    );

  snapshot
    .command('list')
    .description('list snapshots')
    .addOption(allowRemoteOption)
    .action(async (options: { allowRemote?: boolean }, command: Command) => {
      const out = outputFor(command, context);
      await withEngine(command, context, options, async ({ engine }) => {
        const list = await engine.list();
        const text = list.length
          ? list
              .map((s) =>
                [
                  s.name ?? '?',
                  s.kind,
                  `from ${s.source ?? '?'}`,
                  formatBytes(s.sizeBytes),
                  s.createdAt ?? '',
                  s.physical,
                ].join('\t'),
              )
              .join('\n')
          : 'No snapshots.';
        out.result(list, text);
      });
    });

  snapshot
    .command('restore <name>')
    .description('replace a database with a snapshot (built aside first, then swapped)')
    .option(
      '--db <database>',
      'database to replace: the working database (default) or one venomqa created',
    )
    .option('--force', 'do not ask (required without a terminal, or with CI set)')
    .addOption(allowRemoteOption)
    .action(
      async (
        name: string,
        options: { db?: string; force?: boolean; allowRemote?: boolean },
        command: Command,
      ) => {
        validateSnapshotName(name);
        const out = outputFor(command, context);
        await withEngine(command, context, options, async ({ engine, workingDatabase }) => {
          const target = options.db ?? workingDatabase;
          await confirmDestructive({
            force: options.force,
            command: `venomqa snapshot restore ${name}${options.db === undefined ? '' : ` --db ${target}`}`,
            what: `replaces database ${target} with snapshot '${name}'`,
            env: context.env,
          });
          const result = await engine.restore(target, name);
          const ms = Math.round(result.unavailableMs);
          out.result(
            { name, database: target, unavailableMs: result.unavailableMs },
            `Restored ${target} from '${name}' (unavailable for ${ms} ms)`,
          );
        });
      },
    );

  snapshot
    .command('delete <name>')
    .description('delete a snapshot')
    .option('--force', 'do not ask (required without a terminal, or with CI set)')
    .addOption(allowRemoteOption)
    .action(
      async (
        name: string,
        options: { force?: boolean; allowRemote?: boolean },
        command: Command,
      ) => {
        validateSnapshotName(name);
        const out = outputFor(command, context);
        await withEngine(command, context, options, async ({ engine }) => {
          await confirmDestructive({
            force: options.force,
            command: `venomqa snapshot delete ${name}`,
            what: `deletes snapshot '${name}'`,
            env: context.env,
          });
          await engine.drop(name);
          out.result({ deleted: name }, `Deleted snapshot '${name}'`);
        });
      },
    );

  snapshot
    .command('export <name> <file>')
    .description(
      'write a snapshot to a file (pg_dump custom format) and its catalog entry to <file>.json',
    )
    .option('--force', 'replace the file if it exists')
    .addOption(allowRemoteOption)
    .addHelpText('after', PG_TOOLS_HELP)
    .action(
      async (
        name: string,
        file: string,
        options: { force?: boolean; allowRemote?: boolean },
        command: Command,
      ) => {
        validateSnapshotName(name);
        const out = outputFor(command, context);
        const config = await configFor(command, context);
        await withEngine(command, context, options, async ({ engine }) => {
          const result = await exportSnapshot(engine, name, resolve(context.cwd, file), {
            ...dumpOptions(config, context, out),
            overwrite: options.force ?? false,
          });
          out.result(
            result,
            `Exported snapshot '${name}' to ${result.file} (${formatBytes(result.bytes)}) in ${result.ms} ms; catalog entry in ${result.metadataFile}`,
          );
        });
      },
    );

  snapshot
    .command('import <file> <name>')
    .description(
      'create a snapshot from a file written by `snapshot export` (or any pg_dump --format=custom archive)',
    )
    .addOption(allowRemoteOption)
    .addHelpText('after', PG_TOOLS_HELP)
    .action(
      async (file: string, name: string, options: { allowRemote?: boolean }, command: Command) => {
        validateSnapshotName(name);
        const out = outputFor(command, context);
        const config = await configFor(command, context);
        await withEngine(command, context, options, async ({ engine }) => {
          const result = await importSnapshot(
            engine,
            resolve(context.cwd, file),
            name,
            dumpOptions(config, context, out),
          );
          const origin = result.exported
            ? ` (exported snapshot '${result.exported.name}' of ${result.exported.source ?? '?'}, created ${result.exported.createdAt ?? '?'})`
            : '';
          out.result(
            result,
            `Imported ${result.file} as snapshot '${name}'${origin} in ${result.ms} ms`,
          );
        });
      },
    );

  return snapshot;
}
