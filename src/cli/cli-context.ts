import type { Command } from 'commander';
import { resolveConfig, type QAConfig, type ResolvedConfig } from '../config/index.js';
import { Output } from './output.js';

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
    verbose: options.verbose ?? false,
    ...(context.stdout ? { stdout: context.stdout } : {}),
    ...(context.stderr ? { stderr: context.stderr } : {}),
  });
}

/** Resolve the config with the global flags as the `flags` layer. */
export function configFor(
  command: Command,
  context: CliContext,
  flags: QAConfig = {},
): ResolvedConfig {
  const options = globalOptions(command);
  return resolveConfig({
    cwd: context.cwd,
    env: context.env,
    ...(options.config ? { file: options.config } : {}),
    flags: { ...(options.verbose ? { verbose: true } : {}), ...flags },
  });
}
