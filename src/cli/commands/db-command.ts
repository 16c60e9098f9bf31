import { Command, Option } from 'commander';
import { redactUrl } from '../../config/index.js';
import { ExitCode } from '../../errors/index.js';
import { ManagedDatabase, type ManagedDatabaseState } from '../../server/index.js';
import { SnapshotEngine, adminUrlFor } from '../../snapshot/index.js';
import { configFor, outputFor, type CliContext } from '../cli-context.js';
import {
  databaseInventory,
  inventoryLines,
  type DatabaseInventory,
} from '../database-inventory.js';
import { confirmDestructive } from '../confirm-destructive.js';
import { addPsqlCommand } from './db-psql-command.js';

function describe(state: ManagedDatabaseState, showPassword: boolean): Record<string, unknown> {
  const url = ManagedDatabase.urlOf(state);
  return {
    provider: state.provider,
    url: showPassword ? url : redactUrl(url),
    host: state.host,
    port: state.port,
    user: state.user,
    database: state.database,
    version: state.serverVersion,
    ...(state.containerId ? { container: state.containerId.slice(0, 12) } : {}),
    ...(state.rootDir ? { dataDir: state.rootDir } : {}),
    ...(state.reusedFrom ? { reusedFrom: state.reusedFrom } : {}),
    startedAt: state.startedAt,
  };
}

const showPasswordOption = new Option('--show-password', 'print the URL with its password');

/** `venomqa db up|down|status|logs|url`: one QA PostgreSQL per project that outlives the CLI. */
export function dbCommand(context: CliContext): Command {
  const db = new Command('db');

  db.command('up')
    .description('start the managed database (or report the running one) and print its URL')
    .addOption(showPasswordOption)
    .action(async (options: { showPassword?: boolean }, command: Command) => {
      const out = outputFor(command, context);
      const managed = new ManagedDatabase(await configFor(command, context), context.cwd);
      const { state, fresh } = await managed.up({
        signal: context.signal,
        onProgress: (line) => out.progress(line),
      });
      const info = describe(state, options.showPassword ?? false);
      out.progress(
        fresh
          ? `Started ${state.provider} PostgreSQL ${state.serverVersion}`
          : `Already running (${state.provider} PostgreSQL ${state.serverVersion})`,
      );
      out.result({ ...info, started: fresh }, String(info.url));
    });

  db.command('down')
    .description('stop the managed database and delete its data (snapshots included)')
    .option('--force', 'do not ask (required without a terminal, or with CI set)')
    .action(async (options: { force?: boolean }, command: Command) => {
      await confirmDestructive({
        force: options.force,
        command: 'venomqa db down',
        what: 'stops the managed database and deletes its data, named snapshots included,',
        env: context.env,
      });
      const out = outputFor(command, context);
      const managed = new ManagedDatabase(await configFor(command, context), context.cwd);
      const shared = (await managed.readState())?.reusedFrom;
      const stopped = await managed.down();
      out.result(
        { stopped: stopped && !shared, ...(shared ? { leftRunningFor: shared } : {}) },
        shared
          ? `Forgot the managed database here; its container stays running for ${shared}, which started it (\`venomqa db down\` there stops it).`
          : stopped
            ? 'Stopped and removed the managed database.'
            : 'No managed database was running.',
      );
    });

  db.command('status')
    .description('describe the managed database; exits 3 when it is not running')
    .addOption(showPasswordOption)
    .action(async (options: { showPassword?: boolean }, command: Command) => {
      const out = outputFor(command, context);
      const managed = new ManagedDatabase(await configFor(command, context), context.cwd);
      const status = await managed.status();
      const info = status.state ? describe(status.state, options.showPassword ?? false) : {};
      const inventory =
        status.running && status.state ? await inventoryOf(status.state) : undefined;
      const data = {
        running: status.running,
        ...info,
        ...(inventory ? { databases: inventory } : {}),
        ...(status.configChanged ? { configChanged: status.configChanged } : {}),
        ...(status.reason ? { reason: status.reason } : {}),
      };
      const text = status.running
        ? [
            ...Object.entries({ status: 'running', ...info, version: status.server?.version }).map(
              ([k, v]) => `${k}: ${String(v)}`,
            ),
            ...(inventory ? inventoryLines(inventory) : []),
            ...(status.configChanged
              ? [
                  `configuration changed since it started: ${status.configChanged} (\`venomqa db up\` starts one as configured)`,
                ]
              : []),
          ].join('\n')
        : `status: not running\nreason: ${status.reason ?? 'unknown'}`;
      out.result(data, text);
      if (!status.running) process.exitCode = ExitCode.EnvironmentUnavailable;
    });

  db.command('url')
    .description('print the managed database URL (for scripts: add --show-password)')
    .addOption(showPasswordOption)
    .option('--database <name>', 'another database on the same server')
    .action(async (options: { showPassword?: boolean; database?: string }, command: Command) => {
      const out = outputFor(command, context);
      const managed = new ManagedDatabase(await configFor(command, context), context.cwd);
      const state = await managed.readState();
      if (!state) {
        out.result({ url: null }, '');
        out.progress('No managed database; run `venomqa db up` first.');
        process.exitCode = ExitCode.EnvironmentUnavailable;
        return;
      }
      const url = ManagedDatabase.urlOf(state, options.database);
      const shown = options.showPassword ? url : redactUrl(url);
      out.result({ url: shown }, shown);
    });

  db.command('logs')
    .description('print the last lines of the managed database server log')
    .option('-n, --lines <count>', 'how many lines', (v) => Number.parseInt(v, 10), 50)
    .action(async (options: { lines: number }, command: Command) => {
      const out = outputFor(command, context);
      const managed = new ManagedDatabase(await configFor(command, context), context.cwd);
      const lines = await managed.logs(options.lines);
      out.result({ lines }, lines.join('\n'));
    });

  addPsqlCommand(db, context);
  return db;
}

/** Snapshots, clones and setup templates on the managed server, with the disk they use. */
async function inventoryOf(state: ManagedDatabaseState): Promise<DatabaseInventory> {
  const url = ManagedDatabase.urlOf(state);
  const engine = await SnapshotEngine.open({
    adminUrl: adminUrlFor(url, state.database),
    workingDatabase: state.database,
  });
  try {
    return databaseInventory(await engine.databases());
  } finally {
    await engine.close();
  }
}
