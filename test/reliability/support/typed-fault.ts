import { expect } from 'vitest';
import { runCli, type CliResult } from '../../integration/support/run-cli.js';
import { msSince, printFigures } from './figures.js';

/** A CLI invocation that is expected to fail for a reason in its environment. */
export interface FaultRun {
  /** What was broken, for the figures line. */
  fault: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/**
 * Run the CLI into a fault and check what a user gets: exit 3, `error <code>: …` naming
 * `mentions`, a `hint:` line with the next step, no internal error; prints how long it took.
 */
export async function expectTypedFault(
  run: FaultRun,
  code: string,
  mentions: readonly string[],
): Promise<CliResult> {
  const began = performance.now();
  const result = await runCli(run.args, run.cwd, run.env);
  const ms = msSince(began);
  const first = /^error (\S+): (.*)$/m.exec(result.stderr);
  const hint = /^hint: (.*)$/m.exec(result.stderr);
  printFigures(
    'faults',
    `${run.fault}: \`venomqa ${run.args.join(' ')}\` exit ${result.exitCode} after ${ms} ms: ${first ? `${first[1]}: ${first[2]?.slice(0, 160)}` : 'no typed error'}; hint: ${hint?.[1]?.slice(0, 160) ?? 'none'}`,
  );
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.stderr, output).toContain(`error ${code}: `);
  for (const text of mentions) expect(result.stderr, output).toContain(text);
  expect(result.exitCode, output).toBe(3);
  expect(hint, output).not.toBeNull();
  expect(output).not.toContain('internal error');
  return result;
}
