import { Command } from 'commander';
import { stringify } from 'yaml';
import { redactConfig } from '../../config/redact.js';
import { configFor, outputFor, type CliContext } from '../cli-context.js';

/** `venomqa config`: the resolved configuration, secrets redacted. */
export function configCommand(context: CliContext): Command {
  return new Command('config')
    .description(
      'print the resolved configuration (defaults < venomqa.yaml or venomqa.config.ts < VENOMQA_* < flags), secrets redacted',
    )
    .action(async (_options: unknown, command: Command) => {
      const out = outputFor(command, context);
      const config = redactConfig(await configFor(command, context));
      out.result(config, stringify(config));
    });
}
