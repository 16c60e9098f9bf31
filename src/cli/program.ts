import { Command, CommanderError } from 'commander';
import { ExitCode } from '../errors/exit-code.js';
import { packageVersion } from '../package-version.js';
import { isVenomQAError } from '../errors/venomqa-error.js';
import { isVerbose, type CliContext } from './cli-context.js';
import { configCommand } from './commands/config-command.js';
import { dbCommand } from './commands/db-command.js';
import { runCommand } from './commands/run-command.js';
import { pruneCommand } from './commands/prune-command.js';
import { snapshotCommand } from './commands/snapshot-command.js';
import { Output } from './output.js';

export function buildProgram(context: CliContext): Command {
  const program = new Command('venomqa')
    .description('Stateful API testing with PostgreSQL database branching')
    .version(packageVersion(), '-V, --version')
    .option(
      '-c, --config <file>',
      'venomqa.yaml to use (default: VENOMQA_CONFIG, else search upward)',
    )
    .option('--json', 'print one JSON document on stdout')
    .option('-v, --verbose', 'more detail, including error causes')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => (context.stdout ?? process.stdout).write(s),
      writeErr: (s) => (context.stderr ?? process.stderr).write(s),
    });
  program.addCommand(runCommand(context));
  program.addCommand(dbCommand(context));
  program.addCommand(configCommand(context));
  program.addCommand(snapshotCommand(context));
  program.addCommand(pruneCommand(context));
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
  const program = buildProgram(context);
  try {
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
