import { createInterface } from 'node:readline/promises';
import { ConfirmationRequiredError } from './cli-errors.js';

/** What a destructive command asks before it acts. */
export interface DestructiveCommand {
  /** `--force` as given. */
  force: boolean | undefined;
  /** The command to run instead, minus the flag: `venomqa snapshot delete keep`. */
  command: string;
  /** What it does, completing "'venomqa db down' …": `deletes the managed database's data`. */
  what: string;
  env: Readonly<Record<string, string | undefined>>;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream;
}

/** `CI` set to anything but false/0, as GitHub Actions, GitLab, CircleCI, … set it. */
export function isCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== 'false' && value !== '0';
}

/**
 * Let a destructive command go ahead: with `--force`, at once; run unattended (stdin not a
 * terminal: a script, a pipe; or `CI` set, since some CI runners allocate a terminal nobody
 * reads) it refuses, as Prisma's `migrate reset` does, naming the command to run instead; at a
 * terminal it asks and goes ahead only on `y`.
 */
export async function confirmDestructive(options: DestructiveCommand): Promise<void> {
  if (options.force) return;
  const stdin = options.stdin ?? process.stdin;
  const hint = `Run \`${options.command} --force\` to confirm.`;
  if (!stdin.isTTY || isCi(options.env)) {
    const why = stdin.isTTY ? 'CI is set' : 'stdin is not a terminal';
    throw new ConfirmationRequiredError(
      `'${options.command}' ${options.what} and ${why}: nobody can confirm it`,
      { hint },
    );
  }
  const prompt = createInterface({ input: stdin, output: options.stderr ?? process.stderr });
  let answer: string;
  try {
    // Ctrl-D or Ctrl-C at the prompt is a no, not a prompt left waiting.
    const closed = new Promise<string>((resolve) => {
      prompt.once('close', () => resolve(''));
      prompt.once('SIGINT', () => prompt.close());
    });
    answer = await Promise.race([
      prompt.question(`'${options.command}' ${options.what}. Go ahead? [y/N] `),
      closed,
    ]);
  } finally {
    prompt.close();
  }
  if (!/^y(es)?$/i.test(answer.trim())) {
    throw new ConfirmationRequiredError(`'${options.command}' was not confirmed`, { hint });
  }
}
