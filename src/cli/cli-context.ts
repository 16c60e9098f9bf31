import type { Command } from 'commander';
import { loadConfig, type QAConfig, type ResolvedConfig } from '../config/index.js';
import { Output } from './output.js';
import { isVerbose } from './verbose.js';

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  config?: string;
  json?: boolean;
  verbose?: boolean;
}

/** What a command needs from the outside world; tests construct it with fakes. */
export interface CliContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  signal: AbortSignal;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export function outputFor(command: Command, context: CliContext): Output {
  const options = globalOptions(command);
  return new Output({
    json: options.json ?? false,
    verbose: isVerbose(options.verbose, context.env),
    ...(context.stdout ? { stdout: context.stdout } : {}),
    ...(context.stderr ? { stderr: context.stderr } : {}),
  });
}

/**
 * Resolve the config (venomqa.yaml or venomqa.config.ts) with the global flags as the `flags`
 * layer; a config file shadowed by another is reported on stderr.
 */
export function configFor(
  command: Command,
  context: CliContext,
  flags: QAConfig = {},
): Promise<ResolvedConfig> {
  const options = globalOptions(command);
  return loadConfig({
    cwd: context.cwd,
    env: context.env,
    ...(options.config ? { file: options.config } : {}),
    flags: { ...(options.verbose ? { verbose: true } : {}), ...flags },
    onWarning: (message) => (context.stderr ?? process.stderr).write(`warning: ${message}\n`),
  });
}
