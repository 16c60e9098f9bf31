import { Command, CommanderError } from 'commander';
import { ExitCode, isVenomQAError } from '../errors/index.js';
import { packageVersion } from '../package-root.js';
import type { CliContext } from './cli-context.js';
import { Output } from './output.js';
import { isVerbose } from './verbose.js';

/**
 * The commands, by name. Only the one named on the command line is imported (with the library
 * parts it uses), so `venomqa --version` loads commander alone and `venomqa snapshot list` never
 * loads Docker, MySQL or Redis clients. The root help lists every command from this table.
 */
const COMMANDS: readonly {
  name: string;
  description: string;
  load: (context: CliContext) => Promise<Command>;
}[] = [
  {
    name: 'run',
    description: 'run journeys: every branch path on its own database clone (and API instance)',
    load: async (context) => (await import('./commands/run-command.js')).runCommand(context),
  },
  {
    name: 'init',
    description:
      'write a commented venomqa.yaml and an example journey for the Node API in this folder (start command, port and database variables, migrations)',
    load: async (context) => (await import('./commands/init-command.js')).initCommand(context),
  },
  {
    name: 'db',
    description: "manage the project's QA PostgreSQL (Docker when a daemon answers, else embedded)",
    load: async (context) => (await import('./commands/db-command.js')).dbCommand(context),
  },
  {
    name: 'config',
    description:
      'print the resolved configuration (defaults < venomqa.yaml or venomqa.config.ts < VENOMQA_* < flags), secrets redacted',
    load: async (context) => (await import('./commands/config-command.js')).configCommand(context),
  },
  {
    name: 'snapshot',
    description: 'named snapshots of the QA database (db_url, else the managed `venomqa db`)',
    load: async (context) =>
      (await import('./commands/snapshot-command.js')).snapshotCommand(context),
  },
  {
    name: 'diff',
    description:
      'what changed between two snapshots, a snapshot and the working database, or a snapshot and the clone kept for a failed path (--path)',
    load: async (context) => (await import('./commands/diff-command.js')).diffCommand(context),
  },
  {
    name: 'doctor',
    description:
      'check this machine and config: Node, Docker, images, PostgreSQL (version, CREATEDB, connections, disk), the API command, psql; exit 3 when something is broken',
    load: async (context) => (await import('./commands/doctor-command.js')).doctorCommand(context),
  },
  {
    name: 'merge-reports',
    description:
      'merge the JSON reports of a sharded run (`run --shard i/n` on each CI machine) into the reports of the whole run',
    load: async (context) =>
      (await import('./commands/merge-reports-command.js')).mergeReportsCommand(context),
  },
  {
    name: 'prune',
    description:
      'remove what dead runs left: clones and temporaries (named snapshots are kept), embedded servers, containers, API processes; superseded setup templates; API images venomqa built beyond the newest 3 per name',
    load: async (context) => (await import('./commands/prune-command.js')).pruneCommand(context),
  },
];

/** The root program's own options, also used to find the command word in argv. */
function withGlobalOptions(program: Command): Command {
  return program
    .option(
      '-c, --config <file>',
      'venomqa.yaml to use (default: VENOMQA_CONFIG, else search upward)',
    )
    .option('--json', 'print one JSON document on stdout')
    .option('-v, --verbose', 'more detail, including error causes');
}

/**
 * The command word of `argv` (`snapshot` in `venomqa -c qa.yaml snapshot list`), read by
 * commander itself so option values such as `-c run` are not taken for commands. For
 * `venomqa help <command>`, the command asked about.
 */
function commandWord(argv: readonly string[]): string | undefined {
  const scanner = withGlobalOptions(new Command()).allowUnknownOption();
  const { operands } = scanner.parseOptions([...argv]);
  return operands[0] === 'help' ? operands[1] : operands[0];
}

/**
 * The program with every command listed and the one `argv` names fully declared (imported);
 * the others stay placeholders that only show in the root help.
 */
export async function buildProgram(
  context: CliContext,
  argv: readonly string[] = [],
): Promise<Command> {
  const program = withGlobalOptions(
    new Command('venomqa')
      .description('Stateful API testing with PostgreSQL database branching')
      .version(packageVersion(), '-V, --version'),
  )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => (context.stdout ?? process.stdout).write(s),
      writeErr: (s) => (context.stderr ?? process.stderr).write(s),
    });
  const word = commandWord(argv);
  for (const entry of COMMANDS) {
    const command = entry.name === word ? await entry.load(context) : new Command(entry.name);
    program.addCommand(command.description(entry.description));
  }
  // Subcommands inherit the exit override and output settings.
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

/**
 * Run the CLI and return its exit code instead of calling `process.exit`, so `finally` blocks
 * (which release containers and clones) always run.
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  try {
    const program = await buildProgram(context, argv);
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successful exits; anything else commander rejects is usage.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    const json = argv.includes('--json');
    const verbose = isVerbose(
      argv.includes('-v') || argv.includes('--verbose') ? true : undefined,
      context.env,
    );
    new Output({
      json,
      verbose,
      ...(context.stdout ? { stdout: context.stdout } : {}),
      ...(context.stderr ? { stderr: context.stderr } : {}),
    }).error(error);
    if (context.signal.aborted) return ExitCode.Interrupted;
    return isVenomQAError(error) ? error.exitCode : ExitCode.Internal;
  }
}
