import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** The built CLI, exactly what `npx venomqa` runs (the global setup builds it). */
export const CLI = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Run `venomqa <args>` as a real process in `cwd`; never throws on a non-zero exit. */
export async function runCli(
  args: string[],
  cwd: string,
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const result = await execa('node', [CLI, ...args], {
    cwd,
    env: { ...env },
    reject: false,
    timeout: 240_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}
