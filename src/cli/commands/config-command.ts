import { Command } from 'commander';
import { stringify } from 'yaml';
import { redactConfig } from '../../config/index.js';
import { configFor, outputFor, type CliContext } from '../cli-context.js';

/** `venomqa config`: the resolved configuration, secrets redacted. */
export function configCommand(context: CliContext): Command {
  return new Command('config').action(async (_options: unknown, command: Command) => {
    const out = outputFor(command, context);
    const config = redactConfig(await configFor(command, context));
    out.result(config, stringify(config));
  });
}
