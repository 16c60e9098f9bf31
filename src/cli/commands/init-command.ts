import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import {
  InitFileExistsError,
  existingInitFiles,
  planInit,
  readProject,
  scriptArgv,
  writeInitFiles,
  type InitChoices,
  type InitPlan,
} from '../../init/index.js';
import { outputFor, type CliContext } from '../cli-context.js';

interface InitOptions {
  force?: boolean;
  yes?: boolean;
}

/**
 * Ask for the guesses a user most often corrects (the start command, the health route) and
 * whether to write; Enter keeps the guess. Undefined when the user declines.
 */
async function askChoices(plan: InitPlan, context: CliContext): Promise<InitChoices | undefined> {
  const questions = createInterface({
    input: process.stdin,
    output: context.stderr ?? process.stderr,
  });
  const ask = async (question: string, guess: string) =>
    (await questions.question(`${question} [${guess}]: `, { signal: context.signal })).trim() ||
    guess;
  // On a terminal readline takes Ctrl-C itself: pass it on as the SIGINT every command obeys.
  questions.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
  try {
    const guess = plan.api.command.join(' ');
    const command = await ask('Command that starts the API', guess);
    const argv = scriptArgv(command);
    if (argv === undefined) {
      questions.write(`  ${command} needs a shell; keeping ${guess} (edit api.command later)\n`);
    }
    const health = await ask('Health route (answers 200 when ready)', plan.api.health);
    const files = `venomqa.yaml and ${plan.journeyFile}`;
    const write = await ask(`Write ${files}?`, 'Y');
    if (!/^y(es)?$/i.test(write)) return undefined;
    return { ...(argv && command !== guess ? { command: argv } : {}), health };
  } catch (error) {
    // Ctrl-C or Ctrl-D at a question: nothing is written (the exit code says interrupted).
    if ((error as { name?: string }).name === 'AbortError') return undefined;
    throw error;
  } finally {
    questions.close();
  }
}

function summary(plan: InitPlan, files: readonly string[], shadowedBy: readonly string[]): string {
  const lines = [`wrote ${files.join(', ')}`, '', 'guessed:'];
  lines.push(...plan.guessed.map((line) => `  ${line}`));
  const checks = [
    ...plan.checks,
    ...shadowedBy.map(
      (file) => `${file} is found before venomqa.yaml: remove it to use the new file`,
    ),
  ];
  if (checks.length > 0) lines.push('', 'check:', ...checks.map((line) => `  - ${line}`));
  lines.push('', 'next: npx venomqa run');
  return lines.join('\n');
}

/**
 * `venomqa init`: read the API project in the current folder and write a commented
 * venomqa.yaml and an example journey. Asks before writing on a terminal unless --yes; never
 * asks when stdin is not a terminal (CI, scripts) or with --json.
 */
export function initCommand(context: CliContext): Command {
  return new Command('init')
    .option('--force', 'replace an existing venomqa.yaml and example journey')
    .option('-y, --yes', 'ask nothing: write what was guessed')
    .action(async (options: InitOptions, command: Command) => {
      const out = outputFor(command, context);
      const project = await readProject(context.cwd);
      let plan = planInit(project);
      const force = options.force === true;
      // Refuse before asking anything: answers to questions about files never written are lost.
      const present = force ? [] : await existingInitFiles(context.cwd, plan.journeyFile);
      if (present.length > 0) throw new InitFileExistsError(present);
      if (options.yes !== true && !out.json && process.stdin.isTTY) {
        const choices = await askChoices(plan, context);
        if (choices === undefined) {
          out.result({ files: [], written: false }, 'nothing written');
          return;
        }
        plan = planInit(project, choices);
      }
      const written = await writeInitFiles(context.cwd, plan, { force });
      out.result(
        {
          files: written.files,
          written: true,
          api: plan.api,
          setup: plan.setup ?? null,
          migrationTool: plan.migrationTool?.tool ?? null,
          guessed: plan.guessed,
          checks: plan.checks,
        },
        summary(plan, written.files, written.shadowedBy),
      );
    });
}
